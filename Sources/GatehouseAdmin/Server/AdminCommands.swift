import Dispatch
import EventLog
import GatehouseCore
import GatehouseEngine
import Hummingbird

/// The write side of the admin API: runs configuration commands through the engine (decide →
/// durable append → new snapshot) off the server's threads, with the caller as the actor and
/// the request's `If-Match` as the expected revision; refusals become ``AdminError``s.
struct AdminCommands: Sendable {
    let engine: GatehouseEngine
    private static let queue = DispatchQueue(label: "gatehouse.admin.commands")

    /// Executes `commands` as one batch; returns the recorded events.
    @discardableResult
    func execute(_ commands: [ConfigCommand], request: Request, context: AdminContext) async throws -> [RecordedEvent] {
        let commandContext = CommandContext(
            time: .now(), actor: try context.caller.actor, expectedRevision: try Precondition.expectedRevision(request)
        )
        let engine = engine
        let correlationID = context.requestID
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                do {
                    continuation.resume(returning: try engine.execute(commands, context: commandContext, correlationID: correlationID))
                } catch EngineError.rejected(let error) {
                    continuation.resume(throwing: AdminError(error))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Records operational facts (such as a cache invalidation) with the caller as the actor.
    func record(_ facts: [ControlEvent], context: AdminContext) async throws {
        let actor = try context.caller.actor
        let engine = engine
        let correlationID = context.requestID
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Self.queue.async {
                do {
                    _ = try engine.record(facts, time: .now(), actor: actor, correlationID: correlationID)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
