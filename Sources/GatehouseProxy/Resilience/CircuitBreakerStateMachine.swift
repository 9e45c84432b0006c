import GatehouseCore

/// One upstream instance's circuit breaker as a pure state machine: calls are method calls,
/// time comes in as an argument, and every state change comes out as a ``Transition`` for the
/// owner to record as an event. No locks, no clock, no I/O — the proxy keeps one per instance
/// per event loop and performs the side effects.
///
/// closed → (``CircuitBreakerConfig/failureThreshold`` consecutive failures) → open
/// open → (``CircuitBreakerConfig/timeout`` ms elapsed) → half-open, admitting
/// ``CircuitBreakerConfig/halfOpenMaxCalls`` trial calls
/// half-open → (all trials succeed) → closed; (any trial fails) → open again.
public struct CircuitBreakerStateMachine: Sendable, Equatable {
    /// Where the breaker is.
    public enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: Timestamp, failures: Int)
        case halfOpen(admitted: Int, succeeded: Int)
    }

    /// Whether a call may go to this instance.
    public enum Admission: Sendable, Equatable {
        case allowed
        /// Refused; the breaker admits trial calls again at `retryAt`.
        case rejected(retryAt: Timestamp)
    }

    /// A state change the owner records (as `CircuitOpened`, `CircuitHalfOpened`, `CircuitClosed`).
    public enum Transition: Sendable, Equatable {
        case opened(failures: Int, nextAttemptAt: Timestamp)
        case halfOpened
        case closed(successes: Int)
    }

    public let configuration: CircuitBreakerConfig
    public private(set) var state: State = .closed(consecutiveFailures: 0)

    public init(configuration: CircuitBreakerConfig) {
        self.configuration = configuration
    }

    /// The spec's state name.
    public var circuitState: CircuitState {
        switch state {
        case .closed: .closed
        case .open: .open
        case .halfOpen: .halfOpen
        }
    }

    /// Asks to send a call at `now`. An open breaker whose timeout has passed turns half-open and
    /// admits the first trial (the transition is returned so it can be recorded). `now` is read
    /// only by a breaker that is not closed: a healthy instance's calls cost no clock read.
    public mutating func admit(at now: @autoclosure () -> Timestamp) -> (Admission, Transition?) {
        switch state {
        case .closed:
            return (.allowed, nil)
        case .open(let until, _):
            guard now() >= until else { return (.rejected(retryAt: until), nil) }
            state = .halfOpen(admitted: 1, succeeded: 0)
            return (.allowed, .halfOpened)
        case .halfOpen(let admitted, let succeeded):
            guard admitted < configuration.halfOpenMaxCalls else {
                // Trials are in flight; new calls wait for their verdict.
                return (.rejected(retryAt: now().adding(milliseconds: configuration.timeout)), nil)
            }
            state = .halfOpen(admitted: admitted + 1, succeeded: succeeded)
            return (.allowed, nil)
        }
    }

    /// Reports that an admitted call succeeded. (Its time changes nothing: `now` is never read.)
    public mutating func recordSuccess(at now: @autoclosure () -> Timestamp) -> Transition? {
        switch state {
        case .closed:
            state = .closed(consecutiveFailures: 0)
            return nil
        case .open:
            // A call admitted before the breaker opened: it does not change the verdict.
            return nil
        case .halfOpen(let admitted, let succeeded):
            let successes = succeeded + 1
            guard successes >= configuration.halfOpenMaxCalls else {
                state = .halfOpen(admitted: admitted, succeeded: successes)
                return nil
            }
            state = .closed(consecutiveFailures: 0)
            return .closed(successes: successes)
        }
    }

    /// Reports that an admitted call failed (connect error, timeout, 5xx the route counts);
    /// `now` is read only when the breaker opens.
    public mutating func recordFailure(at now: @autoclosure () -> Timestamp) -> Transition? {
        switch state {
        case .closed(let failures):
            let count = failures + 1
            guard count >= configuration.failureThreshold else {
                state = .closed(consecutiveFailures: count)
                return nil
            }
            return open(at: now(), failures: count)
        case .open:
            return nil
        case .halfOpen:
            return open(at: now(), failures: configuration.failureThreshold)
        }
    }

    private mutating func open(at now: Timestamp, failures: Int) -> Transition {
        let until = now.adding(milliseconds: configuration.timeout)
        state = .open(until: until, failures: failures)
        return .opened(failures: failures, nextAttemptAt: until)
    }
}

extension Timestamp {
    /// This instant moved by `milliseconds`.
    public func adding(milliseconds: Int) -> Timestamp {
        Timestamp(microseconds: microseconds + Int64(milliseconds) * 1000)
    }
}
