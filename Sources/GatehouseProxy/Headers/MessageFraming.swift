import GatehouseCore
import NIOHTTP1

/// Request-smuggling defences on the request head (RFC 9112 §6): a message whose length is
/// ambiguous is refused with 400 and its connection closed, never forwarded.
public enum MessageFraming {
    /// Why a request's framing is refused.
    public enum Violation: Error, Sendable, Equatable, CustomStringConvertible {
        case contentLengthWithTransferEncoding
        case conflictingContentLengths
        case invalidContentLength(String)
        case unsupportedTransferEncoding(String)
        case invalidFieldValue(name: String)

        public var description: String {
            switch self {
            case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding are present"
            case .conflictingContentLengths: "Content-Length appears with different values"
            case .invalidContentLength(let value): "Content-Length '\(value)' is not a non-negative integer"
            case .unsupportedTransferEncoding(let value): "Transfer-Encoding '\(value)' does not end in chunked"
            case .invalidFieldValue(let name): "header \(name) contains a line break or NUL"
            }
        }
    }

    /// Whether `headers` name a `Content-Length` or `Transfer-Encoding` field (any case): most
    /// requests name neither, and their fields are ruled out by their names' lengths.
    static func namesFraming(_ headers: ReceivedFields) -> Bool {
        headers.lines.contains { $0.name.count == 14 || $0.name.count == 17 }
            && (headers.contains(name: "content-length") || headers.contains(name: "transfer-encoding"))
    }

    /// Checks `headers`; returns the body length (`nil` for chunked or no body).
    @discardableResult
    public static func check(_ headers: ReceivedFields) throws(Violation) -> Int? {
        var unsafeValueName: String?
        headers.forEach { name, value in
            if unsafeValueName == nil, value.contains(where: { $0 == 10 || $0 == 13 || $0 == 0 }) { unsafeValueName = String(decoding: name, as: UTF8.self) }
        }
        if let unsafeValueName { throw .invalidFieldValue(name: unsafeValueName) }
        let lengths = headers[canonicalForm: "content-length"]
        let encodings = headers[canonicalForm: "transfer-encoding"].map { $0.trimmingSpaces().lowercased() }
        if !encodings.isEmpty {
            guard lengths.isEmpty else { throw .contentLengthWithTransferEncoding }
            guard encodings.last == "chunked", encodings.dropLast().allSatisfy({ $0 != "chunked" }) else {
                throw .unsupportedTransferEncoding(encodings.joined(separator: ", "))
            }
            return nil
        }
        guard let first = lengths.first else { return nil }
        for value in lengths {
            guard !value.isEmpty, value.utf8.allSatisfy({ (48 ... 57).contains($0) }) else { throw .invalidContentLength(String(value)) }
            guard value == first else { throw .conflictingContentLengths }
        }
        guard let length = Int(first) else { throw .invalidContentLength(String(first)) }
        return length
    }
}
