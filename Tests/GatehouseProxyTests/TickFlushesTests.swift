import NIOCore
import NIOEmbedded
import Testing

@testable import GatehouseProxy

/// Flushes deferred to the end of the event loop's tick, when the loop is busy.
@Suite("Tick flushes")
struct TickFlushesTests {
    /// Records when it is flushed, and may ask for another flush while being flushed.
    final class Target: TickFlushing {
        let name: String
        let log: Log
        var then: (() -> Void)?
        var flushDue = false

        init(_ name: String, log: Log) {
            self.name = name
            self.log = log
        }

        func flushNow() {
            log.flushed.append(name)
            then?()
        }
    }

    final class Log {
        var flushed: [String] = []
    }

    /// Flushes on `loop` whose last tick asked for two flushes: the next ones wait.
    static func busy(on loop: EmbeddedEventLoop) -> TickFlushes {
        let flushes = TickFlushes(eventLoop: loop)
        let log = Log()
        flushes.schedule(Target("warm-up 1", log: log))
        flushes.schedule(Target("warm-up 2", log: log))
        loop.run()
        return flushes
    }

    @Test("a quiet loop flushes at once")
    func quiet() {
        let loop = EmbeddedEventLoop()
        let flushes = TickFlushes(eventLoop: loop)
        let log = Log()
        flushes.schedule(Target("a", log: log))
        #expect(log.flushed == ["a"])
        loop.run()
        flushes.schedule(Target("b", log: log))
        #expect(log.flushed == ["a", "b"], "one flush a tick keeps the loop quiet")
        loop.run()
        #expect(log.flushed == ["a", "b"])
    }

    @Test("on a busy loop flushes wait for the end of the tick, then run in the order asked")
    func waitForTheTick() {
        let loop = EmbeddedEventLoop()
        let flushes = Self.busy(on: loop)
        let log = Log()
        flushes.schedule(Target("a", log: log))
        flushes.schedule(Target("b", log: log))
        #expect(log.flushed.isEmpty)
        loop.run()
        #expect(log.flushed == ["a", "b"])
        loop.run()
        #expect(log.flushed == ["a", "b"], "a batch is flushed once")
        flushes.schedule(Target("c", log: log))
        #expect(log.flushed == ["a", "b"], "the tick before asked for two: still busy")
        loop.run()
        #expect(log.flushed == ["a", "b", "c"])
        flushes.schedule(Target("d", log: log))
        #expect(log.flushed == ["a", "b", "c", "d"], "the tick before asked for one: quiet again")
    }

    @Test("the flush that reaches the limit flushes the batch at once")
    func limit() {
        let loop = EmbeddedEventLoop()
        let flushes = Self.busy(on: loop)
        let log = Log()
        for index in 0 ..< TickFlushes.limit - 1 { flushes.schedule(Target("\(index)", log: log)) }
        #expect(log.flushed.isEmpty)
        flushes.schedule(Target("last", log: log))
        #expect(log.flushed.count == TickFlushes.limit && log.flushed.last == "last")
        loop.run()
        #expect(log.flushed.count == TickFlushes.limit, "nothing is flushed twice")
    }

    @Test("a flush asked for during a run joins that run")
    func joinsTheRun() {
        let loop = EmbeddedEventLoop()
        let flushes = Self.busy(on: loop)
        let log = Log()
        let first = Target("first", log: log)
        let late = Target("late", log: log)
        first.then = { flushes.schedule(late) }
        flushes.schedule(first)
        loop.run()
        #expect(log.flushed == ["first", "late"])
    }
}
