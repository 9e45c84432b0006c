import NIOCore
import NIOEmbedded
import Testing

@testable import GatehouseProxy

/// Flushes deferred to the end of the event loop's tick.
@Suite("Tick flushes")
struct TickFlushesTests {
    /// Records when it is flushed, and may ask for another flush while being flushed.
    final class Target: TickFlushing {
        let name: String
        let log: Log
        var then: (() -> Void)?

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

    @Test("flushes wait for the end of the tick, then run in the order asked")
    func waitForTheTick() {
        let loop = EmbeddedEventLoop()
        let flushes = TickFlushes(eventLoop: loop)
        let log = Log()
        flushes.schedule(Target("a", log: log))
        flushes.schedule(Target("b", log: log))
        #expect(log.flushed.isEmpty)
        loop.run()
        #expect(log.flushed == ["a", "b"])
        loop.run()
        #expect(log.flushed == ["a", "b"], "a batch is flushed once")
        flushes.schedule(Target("c", log: log))
        loop.run()
        #expect(log.flushed == ["a", "b", "c"], "the next tick gets a run of its own")
    }

    @Test("the flush that reaches the limit flushes the batch at once")
    func limit() {
        let loop = EmbeddedEventLoop()
        let flushes = TickFlushes(eventLoop: loop)
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
        let flushes = TickFlushes(eventLoop: loop)
        let log = Log()
        let first = Target("first", log: log)
        let late = Target("late", log: log)
        first.then = { flushes.schedule(late) }
        flushes.schedule(first)
        loop.run()
        #expect(log.flushed == ["first", "late"])
    }
}
