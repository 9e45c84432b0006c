import GatehouseCore
import NIOCore

/// Writes field lines of a received head into an outgoing one: the fields a filter keeps, as
/// ``ByteBuffer/writeHTTP1Field(_:_:)`` writes each (`name: value` and CRLF), where consecutive
/// lines that arrived in exactly that form are copied as one run of bytes — one copy for most
/// of a head instead of one reservation per field.
enum FieldLineRuns {
    /// Writes the `lines` of `head` that `keeps` accepts (asked of each line, in order).
    static func write(
        _ lines: [ReceivedFields.Line], of head: UnsafeRawBufferPointer, into buffer: inout ByteBuffer, keeping keeps: (FieldBytes, FieldBytes) -> Bool
    ) {
        var run = 0 ..< 0
        for line in lines {
            let name = FieldBytes(bytes: UnsafeRawBufferPointer(rebasing: head[line.name]))
            let value = FieldBytes(bytes: UnsafeRawBufferPointer(rebasing: head[line.value]))
            guard keeps(name, value) else {
                flush(&run, of: head, into: &buffer)
                continue
            }
            guard isWrittenForm(line, in: head) else {
                flush(&run, of: head, into: &buffer)
                buffer.writeHTTP1Field(name.bytes, value.bytes)
                continue
            }
            let bytes = line.name.lowerBound ..< line.value.upperBound + 2
            if !run.isEmpty, run.upperBound != bytes.lowerBound { flush(&run, of: head, into: &buffer) }
            run = run.isEmpty ? bytes : run.lowerBound ..< bytes.upperBound
        }
        flush(&run, of: head, into: &buffer)
    }

    private static func flush(_ run: inout Range<Int>, of head: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        guard !run.isEmpty else { return }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: head[run]))
        run = 0 ..< 0
    }

    /// Whether `line` is `name: value` and CRLF, as a field is written.
    private static func isWrittenForm(_ line: ReceivedFields.Line, in head: UnsafeRawBufferPointer) -> Bool {
        let colon = line.name.upperBound, end = line.value.upperBound
        return line.value.lowerBound == colon + 2 && head[colon] == UInt8(ascii: ":") && head[colon + 1] == UInt8(ascii: " ")
            && end + 1 < head.count && head[end] == UInt8(ascii: "\r") && head[end + 1] == UInt8(ascii: "\n")
    }
}
