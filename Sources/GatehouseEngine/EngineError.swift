import GatehouseCore

/// Errors from running commands through the engine.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// The command was refused by the decider.
    case rejected(ConfigError)
    /// Other writers kept changing the log; the command was not applied.
    case tooMuchContention(attempts: Int)

    public var description: String {
        switch self {
        case .rejected(let error): error.description
        case .tooMuchContention(let attempts): "the log kept changing under \(attempts) attempts; nothing was applied"
        }
    }
}
