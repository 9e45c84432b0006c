import NIOCore
import NIOEmbedded
import Testing
@testable import GatehouseProxy

@Suite("the deadline timer")
struct DeadlineTimerTests {
    final class Request: DeadlineTimerTarget {
        let name: String
        var deadlineTimerSlot: Int?
        init(_ name: String) { self.name = name }
    }

    /// A timer on an embedded loop whose clock the test moves, recording what expired in order.
    final class Harness {
        let loop = EmbeddedEventLoop()
        var expired: [String] = []
        lazy var timer = DeadlineTimer<Request>(eventLoop: loop, slack: .milliseconds(10)) { [unowned self] in expired.append($0.name) }

        func arm(_ request: Request, in milliseconds: Int64) { timer.arm(request, at: loop.now + .milliseconds(milliseconds)) }
        func advance(_ milliseconds: Int64) { loop.advanceTime(by: .milliseconds(milliseconds)) }
    }

    @Test("each armed target expires once, at its deadline, in deadline order")
    func expiresInOrder() {
        let harness = Harness()
        let (a, b, c) = (Request("a"), Request("b"), Request("c"))
        harness.arm(b, in: 200)
        harness.arm(a, in: 100)
        harness.arm(c, in: 300)
        harness.advance(99)
        #expect(harness.expired.isEmpty)
        harness.advance(1)
        #expect(harness.expired == ["a"])
        #expect(!harness.timer.isArmed(a) && harness.timer.isArmed(b))
        harness.advance(250)
        #expect(harness.expired == ["a", "b", "c"])
        harness.advance(1_000)
        #expect(harness.expired == ["a", "b", "c"], "nothing expires twice")
    }

    @Test("a disarmed target never expires; re-arming moves its deadline")
    func disarmAndRearm() {
        let harness = Harness()
        let (a, b) = (Request("a"), Request("b"))
        harness.arm(a, in: 100)
        harness.arm(b, in: 100)
        harness.timer.disarm(a)
        harness.advance(50)
        harness.arm(b, in: 100)  // now due at 150
        harness.advance(60)
        #expect(harness.expired.isEmpty)
        harness.advance(40)
        #expect(harness.expired == ["b"])
        #expect(!harness.timer.isArmed(a))
    }

    @Test("a shorter deadline armed after a longer one still expires on time")
    func shorterDeadlineLater() {
        let harness = Harness()
        let (long, short) = (Request("long"), Request("short"))
        harness.arm(long, in: 30_000)
        harness.arm(short, in: 100)
        harness.advance(100)
        #expect(harness.expired == ["short"])
        harness.advance(29_900)
        #expect(harness.expired == ["short", "long"])
    }

    @Test("an expiry may arm again, and deadlines within the slack expire together")
    func rearmFromExpiry() {
        let harness = Harness()
        let (a, b) = (Request("a"), Request("b"))
        var rearmed = false
        let timer = DeadlineTimer<Request>(eventLoop: harness.loop, slack: .milliseconds(10)) { request in
            harness.expired.append(request.name)
            if !rearmed {
                rearmed = true
                harness.timer.arm(request, at: harness.loop.now + .milliseconds(100))
            }
        }
        harness.timer = timer
        harness.arm(a, in: 100)
        harness.arm(b, in: 105)
        harness.advance(100)
        #expect(harness.expired == ["a"])
        harness.advance(10)
        #expect(harness.expired == ["a", "b"], "b, 5 ms after a, waits for the slack")
        harness.advance(90)
        #expect(harness.expired == ["a", "b", "a"])
    }

    @Test("disarming any of many armed targets leaves the others' deadlines as they were")
    func disarmAmongMany() {
        let harness = Harness()
        let requests = (0 ..< 8).map { Request("r\($0)") }
        for (index, request) in requests.enumerated() { harness.arm(request, in: Int64(100 * (index + 1))) }
        for index in [0, 7, 3] { harness.timer.disarm(requests[index]) }
        harness.timer.disarm(requests[3])  // disarming twice changes nothing
        harness.advance(1_000)
        #expect(harness.expired == ["r1", "r2", "r4", "r5", "r6"])
        #expect(requests.allSatisfy { !harness.timer.isArmed($0) })
    }
}
