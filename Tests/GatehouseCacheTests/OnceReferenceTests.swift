import Dispatch
import GatehouseCache
import Synchronization
import Testing

@Suite("cache: a reference set once")
struct OnceReferenceTests {
    final class Box: Sendable {
        let value: Int
        init(_ value: Int) { self.value = value }
    }

    /// Holds a reference as `HitForm` does: inline, in a class.
    final class Holder: Sendable {
        let reference = OnceReference<Box>()
    }

    @Test("empty until stored; the first object stored stays, later ones are handed the first")
    func firstStays() {
        let holder = Holder()
        #expect(holder.reference.load() == nil)
        let first = Box(1)
        #expect(holder.reference.storeIfNil(first) === first)
        #expect(holder.reference.storeIfNil(Box(2)) === first)
        #expect(holder.reference.load() === first)
    }

    @Test("the stored object lives as long as its holder, and no longer; a refused one is let go")
    func lifetime() {
        weak var stored: Box?
        weak var refused: Box?
        var holder: Holder? = Holder()
        do {
            let box = Box(1), other = Box(2)
            stored = box
            refused = other
            _ = holder?.reference.storeIfNil(box)
            _ = holder?.reference.storeIfNil(other)
        }
        #expect(stored != nil && refused == nil)
        holder = nil
        #expect(stored == nil)
    }

    @Test("threads racing to store all get the one object that won")
    func race() {
        let holder = Holder()
        let winners = Mutex<Set<ObjectIdentifier>>([])
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            let kept = holder.reference.storeIfNil(Box(index))
            winners.withLock { _ = $0.insert(ObjectIdentifier(kept)) }
        }
        #expect(winners.withLock { $0.count } == 1)
        #expect(holder.reference.load().map(ObjectIdentifier.init) == winners.withLock { $0.first })
    }
}
