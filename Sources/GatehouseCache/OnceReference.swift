import Synchronization

/// A reference set at most once and read without a lock: the object's address in an `Atomic`,
/// released with the holder. What Synchronization's `AtomicLazyReference` does — but inlinable
/// here, so a hit's loads are a few instructions: the standard library's is not specialized
/// into callers, and each of its loads looked generic metadata up at run time (1.5 % of a hit's
/// event-loop samples).
public struct OnceReference<Instance: AnyObject & Sendable>: ~Copyable, Sendable {
    /// The retained object's address; 0 until one is stored.
    @usableFromInline let address = Atomic<UInt>(0)

    public init() {}

    /// The stored object, if any.
    @inlinable
    public func load() -> Instance? {
        let bits = address.load(ordering: .acquiring)
        guard let pointer = UnsafeRawPointer(bitPattern: bits) else { return nil }
        return Unmanaged<Instance>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Stores `instance` unless an object is stored already; returns the one stored.
    @inlinable
    public func storeIfNil(_ instance: Instance) -> Instance {
        let retained = Unmanaged.passRetained(instance)
        let (stored, original) = address.compareExchange(
            expected: 0, desired: UInt(bitPattern: retained.toOpaque()), ordering: .acquiringAndReleasing
        )
        if stored { return instance }
        retained.release()
        return Unmanaged<Instance>.fromOpaque(UnsafeRawPointer(bitPattern: original)!).takeUnretainedValue()
    }

    deinit {
        if let pointer = UnsafeRawPointer(bitPattern: address.load(ordering: .acquiring)) {
            Unmanaged<Instance>.fromOpaque(pointer).release()
        }
    }
}
