import EventLog
import Foundation
import GatehouseCore

/// `config apply` / `config diff` on top of the engine: parse strictly, plan, check every
/// command against the decider (so a refusal names its line), then execute all-or-nothing.
public struct DeclarativeConfig: Sendable {
    /// The engine whose state the file is compared with and applied to.
    public let engine: GatehouseEngine

    public init(engine: GatehouseEngine) { self.engine = engine }

    /// The events applying `yaml` would record, in order, without recording them.
    /// Throws ``ConfigFileError`` for anything wrong with the file.
    public func plan(_ yaml: String, fileName: String, context: CommandContext) throws -> [ControlEvent] {
        try engine.refresh()
        return try checkedPlan(yaml, fileName: fileName, state: engine.state, context: context).events
    }

    /// Applies `yaml`: one durable, all-or-nothing batch. Applying the same file twice appends
    /// nothing the second time. Returns the recorded events.
    @discardableResult
    public func apply(_ yaml: String, fileName: String, context: CommandContext) throws -> [RecordedEvent] {
        try engine.refresh()
        let planned = try checkedPlan(yaml, fileName: fileName, state: engine.state, context: context)
        guard !planned.events.isEmpty else { return [] }
        do {
            return try engine.execute(planned.commands.map(\.command), context: context)
        } catch EngineError.rejected(let error) {
            // The log changed between planning and executing; report against the file anyway.
            throw ConfigFileError(file: fileName, field: error.field ?? "", message: error.message)
        }
    }

    private func checkedPlan(
        _ yaml: String, fileName: String, state: ConfigState, context: CommandContext
    ) throws -> (commands: [ConfigPlanner.PlannedCommand], events: [ControlEvent]) {
        let parser = ConfigDocumentParser(fileName: fileName)
        let document = try parser.parse(yaml)
        func located(_ path: DocumentPath, _ message: String) -> ConfigFileError {
            let position = parser.locate(path, in: yaml)
            return ConfigFileError(file: fileName, line: position?.line, column: position?.column, field: path.description, message: message)
        }
        let commands: [ConfigPlanner.PlannedCommand]
        do {
            commands = try ConfigPlanner(state: state).plan(document)
        } catch let error as PlanningError {
            throw located(error.path, error.message)
        }
        let events: [ControlEvent]
        do {
            events = try ConfigDecider.decide(commands.map(\.command), state: state, context: context)
        } catch {
            let planned = commands[error.commandIndex ?? 0]
            let path = error.field.map { planned.path.field(Self.documentField($0)) } ?? planned.path
            let redundantPrefix = error.field.map { "\($0): " } ?? ""
            let message = error.message.hasPrefix(redundantPrefix) ? String(error.message.dropFirst(redundantPrefix.count)) : error.message
            throw located(path, message)
        }
        return (commands, events)
    }

    /// Entity fields that the file spells differently.
    private static func documentField(_ field: String) -> String {
        switch field {
        case "backend_service_id": "service"
        case "api_version_id": "version"
        case "api_key_hash": "key"
        default: field
        }
    }
}
