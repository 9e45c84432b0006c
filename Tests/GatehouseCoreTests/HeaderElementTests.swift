import GatehouseCore
import Testing

@Suite("header elements")
struct HeaderElementTests {
    @Test("a media type with parameters: value lowercased, names lowercased, quoted values unquoted")
    func mediaType() {
        let element = HeaderElement(#" Application/JSON ; Charset=UTF-8; version="2"; note="a;b \"c\"""#)
        #expect(element.value == "application/json")
        #expect(element.parameters.map(\.name) == ["charset", "version", "note"])
        #expect(element.parameter("charset") == "UTF-8")
        #expect(element.parameter("version") == "2")
        #expect(element.parameter("note") == #"a;b "c""#)
        #expect(element.parameter("missing") == nil)
    }

    @Test("weights: 1 without q, the number with it, 0 when q is not a number")
    func weights() {
        #expect(HeaderElement("gzip").weight == 1)
        #expect(HeaderElement("gzip;q=0.25").weight == 0.25)
        #expect(HeaderElement("gzip; Q=0").weight == 0)
        #expect(HeaderElement("gzip;q=high").weight == 0)
    }

    @Test("whatever is sent, parsing never fails", arguments: ["", ";", ";;", "=", ";=", ";=x", "\"", "a;\"b", "a;b=\"", " \t "])
    func lenient(text: String) {
        let element = HeaderElement(text)
        #expect(!element.value.contains(";"))
        #expect(element.parameters.allSatisfy { !$0.name.isEmpty })
    }

    @Test("a Content-Type's media type")
    func contentType() {
        #expect(HeaderElement.mediaType("text/HTML; charset=utf-8") == "text/html")
        #expect(HeaderElement.mediaType("") == "")
        #expect(HeaderElement.mediaType(nil) == "")
    }
}
