import NIOCore

/// An object a ``DeadlineTimer`` keeps a deadline for. Its place in the timer's list is kept on
/// the object itself, so arming and disarming touch no hash table. An object is the target of
/// one timer at most.
protocol DeadlineTimerTarget: AnyObject {
    /// The target's index in its timer's list while armed, `nil` otherwise. Set by the timer only.
    var deadlineTimerSlot: Int? { get set }
}

/// Deadlines of many targets on one event loop, kept by a single timer. Arming and disarming a
/// deadline is an append and a swap-remove in one list, at the index the target keeps; a
/// scheduled task per request instead costs a promise, two closures and the loop's task lock on
/// every request (measured: 6 % of the proxy's requests per second). The timer wakes at the
/// earliest deadline — no sooner than `slack` after it last ran, so expiries close together are
/// handled in one pass — expires what is due, in deadline order, and sleeps until the next one.
/// Confined to its event loop.
final class DeadlineTimer<Target: DeadlineTimerTarget> {
    private let eventLoop: any EventLoop
    private let slack: TimeAmount
    private let expire: (Target) -> Void
    private var armed: [(deadline: NIODeadline, target: Target)] = []
    private var wake: (at: NIODeadline, task: Scheduled<Void>)?

    /// `expire` is called on the loop for each target whose deadline passed (it is disarmed first).
    init(eventLoop: any EventLoop, slack: TimeAmount = .milliseconds(10), expire: @escaping (Target) -> Void) {
        self.eventLoop = eventLoop
        self.slack = slack
        self.expire = expire
    }

    /// Sets (or moves) `target`'s deadline.
    func arm(_ target: Target, at deadline: NIODeadline) {
        if let slot = target.deadlineTimerSlot {
            armed[slot].deadline = deadline
        } else {
            target.deadlineTimerSlot = armed.count
            armed.append((deadline, target))
        }
        if let wake, wake.at <= deadline + slack { return }
        schedule(at: deadline)
    }

    /// Removes `target`'s deadline, if it has one.
    func disarm(_ target: Target) {
        guard let slot = target.deadlineTimerSlot else { return }
        target.deadlineTimerSlot = nil
        let last = armed.count - 1
        if slot != last {
            armed.swapAt(slot, last)
            armed[slot].target.deadlineTimerSlot = slot
        }
        armed.removeLast()
    }

    /// Whether `target` has a deadline that has not expired yet.
    func isArmed(_ target: Target) -> Bool {
        target.deadlineTimerSlot != nil
    }

    private func schedule(at deadline: NIODeadline) {
        wake?.task.cancel()
        let task = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in run() }
        wake = (deadline, task)
    }

    private func run() {
        wake = nil
        let now = eventLoop.now
        var due: [(deadline: NIODeadline, target: Target)] = []
        var next: NIODeadline?
        for entry in armed {
            if entry.deadline <= now {
                due.append(entry)
            } else if next == nil || entry.deadline < next! {
                next = entry.deadline
            }
        }
        due.sort { $0.deadline < $1.deadline }
        for entry in due { disarm(entry.target) }
        if let next { schedule(at: max(next, now + slack)) }
        for entry in due { expire(entry.target) }
    }
}
