/// One element of an HTTP field value (RFC 9110 §5.6.1 lists, §5.6.6 parameters): a token or a
/// media type, then `;name=value` parameters. Parsed leniently — never fails, whatever a client
/// or an upstream sends — with names lowercased and quoted values unquoted.
public struct HeaderElement: Sendable, Equatable {
    /// A `;name=value` parameter.
    public struct Parameter: Sendable, Equatable {
        /// Lowercased.
        public let name: String
        /// Unquoted (`"2"` → `2`, `\"` → `"`).
        public let value: String
    }

    /// The element before its parameters, trimmed and lowercased (`gzip`, `application/json`);
    /// empty when there is none.
    public let value: String
    public let parameters: [Parameter]

    /// Parses one list element (the text between commas).
    public init(_ text: some StringProtocol) {
        var pieces = Self.splitOutsideQuotes(Substring(text))
        value = pieces.isEmpty ? "" : Self.trimmed(pieces.removeFirst()).lowercased()
        parameters = pieces.compactMap { piece in
            let pair = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.trimmed(pair[0]).lowercased()
            guard !name.isEmpty else { return nil }
            return Parameter(name: name, value: pair.count == 2 ? Self.unquoted(Self.trimmed(pair[1])) : "")
        }
    }

    /// The media type of a `Content-Type` value (`application/json` for `Application/JSON; charset=utf-8`).
    public static func mediaType(_ fieldValue: String?) -> String { fieldValue.map { HeaderElement($0).value } ?? "" }

    /// The value of the parameter `name` (lowercase), the last one when repeated.
    public func parameter(_ name: String) -> String? { parameters.last { $0.name == name }?.value }

    /// The element's weight (`q`, RFC 9110 §12.4.2): 1 without one, 0 when it is not a number.
    public var weight: Double { parameter("q").map { Double($0) ?? 0 } ?? 1 }

    private static func splitOutsideQuotes(_ text: Substring) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex, quoted = false, escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped {
                escaped = false
            } else if quoted, character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";", !quoted {
                pieces.append(text[start ..< index])
                start = text.index(after: index)
            }
        }
        pieces.append(text[start...])
        return pieces
    }

    private static func trimmed(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[first ... last]
    }

    private static func unquoted(_ text: Substring) -> String {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return String(text) }
        var value = "", escaped = false
        for character in text.dropFirst().dropLast() {
            if !escaped, character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            value.append(character)
        }
        return value
    }
}
