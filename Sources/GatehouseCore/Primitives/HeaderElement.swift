/// One element of an HTTP field value (RFC 9110 §5.6.1 lists, §5.6.6 parameters): a token or a
/// media type, then `;name=value` parameters. Parsed leniently — never fails, whatever a client
/// or an upstream sends — with names lowercased and quoted values unquoted.
public struct HeaderElement: Sendable, Equatable {
    /// A `name=value` pair — a `;` parameter, or a directive such as `Cache-Control`'s `max-age=60`.
    public struct Parameter: Sendable, Equatable {
        /// Lowercased.
        public let name: String
        /// Unquoted (`"2"` → `2`, `\"` → `"`); empty when there is no `=`.
        public let value: String

        /// Parses `name=value`, `name="value"` or `name`; `nil` when the name is empty.
        public init?(_ text: some StringProtocol) {
            let pair = Substring(text).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pair[0].trimmingSpaces().lowercased()
            guard !name.isEmpty else { return nil }
            self.name = name
            value = pair.count == 2 ? HeaderElement.unquoted(pair[1].trimmingSpaces()) : ""
        }
    }

    /// The element before its parameters, trimmed and lowercased (`gzip`, `application/json`);
    /// empty when there is none.
    public let value: String
    public let parameters: [Parameter]

    /// Parses one list element (the text between commas).
    public init(_ text: some StringProtocol) {
        var pieces = Self.splitOutsideQuotes(Substring(text))
        value = pieces.isEmpty ? "" : pieces.removeFirst().trimmingSpaces().lowercased()
        parameters = pieces.compactMap(Parameter.init)
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
