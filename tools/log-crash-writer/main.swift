// log-crash-writer DIR: appends config and traffic events to the log in DIR as fast as it can,
// printing "acked SEQUENCE NAME" after each config append returns (i.e. after it is durable).
// The crash test kills it with SIGKILL at random moments and checks every acknowledged event
// survived and no record is corrupt.
import EventLogLMDB
import Foundation
import GatehouseCore
import GatehouseEngine

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: log-crash-writer DIR\n".utf8))
    exit(2)
}
let engine = try GatehouseEngine(log: try LMDBEventLog(directory: CommandLine.arguments[1]))
let recorder = OutcomeRecorder(log: engine.log, configuration: .init(batchSize: 200, flushInterval: .milliseconds(5)))
var traffic = SyntheticTraffic(seed: UInt64(ProcessInfo.processInfo.processIdentifier))
let run = UUID().uuidString.prefix(8)
for index in 0... {
    let name = "crash-\(run)-\(index)"
    let gateway = Gateway(name: name, baseURL: "http://\(name).example")
    let recorded = try engine.execute([.createGateway(gateway)], context: CommandContext(time: .now(), actor: "crash-writer"))
    // Unbuffered: the line reaches the pipe before the next append starts.
    FileHandle.standardOutput.write(Data("acked \(recorded[0].sequence) \(name)\n".utf8))
    for _ in 0 ..< 50 { recorder.record(traffic.next(at: .now())) }
}
