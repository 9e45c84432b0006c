import ArgumentParser
import GatehouseCore

/// A point in the log given on the command line: a sequence number or an RFC 3339 time.
enum LogPosition: ExpressibleByArgument, Sendable {
    case sequence(UInt64)
    case time(Timestamp)

    init?(argument: String) {
        if let sequence = UInt64(argument) {
            self = .sequence(sequence)
        } else if let time = Timestamp(rfc3339: argument) {
            self = .time(time)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
