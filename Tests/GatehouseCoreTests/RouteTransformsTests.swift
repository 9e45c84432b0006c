import GatehouseCore
import Testing

/// Transform steps: compiling `transformation_config`, JSON paths, field filters and query edits.
@Suite("route transforms")
struct RouteTransformsTests {
    let wedding: JSONValue = [
        "id": "w1", "couple": "Ada & Grace", "internal": ["score": 3],
        "guests": [["name": "Bea", "email": "bea@example.com", "meal": "fish"], ["name": "Cal", "email": "cal@example.com"]],
    ]

    @Test("dotted paths reach into objects and through arrays")
    func paths() {
        #expect(wedding.value(at: ["guests", "name"]) == "Bea")
        #expect(wedding.removing(["guests", "email"])["guests"] == [["name": "Bea", "meal": "fish"], ["name": "Cal"]])
        #expect(wedding.setting("x", at: ["meta", "source"])["meta"] == ["source": "x"])
        #expect(wedding.setting("new", at: ["id"], onlyIfAbsent: true)["id"] == "w1")
        #expect(wedding.renaming(["couple"], to: ["names", "couple"])["names"] == ["couple": "Ada & Grace"])
        #expect(wedding.renaming(["couple"], to: ["names", "couple"])["couple"] == nil)
    }

    @Test("field filters: the allow-list, narrowed by the client's fields, never widened")
    func fieldFilter() throws {
        let transforms = try RouteTransforms(TransformationConfig(responseTransforms: [
            TransformStep(type: "field_filter", config: ["allow": ["id", "couple", "guests.name", "guests.meal"]]),
        ]))
        let apply = { (fields: String?) in RouteTransforms.transformBody(wedding, steps: transforms.response) { $0 == "fields" ? fields : nil } }
        #expect(apply(nil) == ["id": "w1", "couple": "Ada & Grace", "guests": [["name": "Bea", "meal": "fish"], ["name": "Cal"]]])
        #expect(apply("id,guests.name") == ["id": "w1", "guests": [["name": "Bea"], ["name": "Cal"]]])
        #expect(apply("guests") == ["guests": [["name": "Bea", "meal": "fish"], ["name": "Cal"]]])
        #expect(apply("internal,guests.email") == [:])
        #expect(FieldTree(paths: ["a", "a.b"]) == FieldTree(paths: ["a"]))
    }

    @Test("json edits, envelope and unwrap, in order")
    func bodySteps() throws {
        let transforms = try RouteTransforms(TransformationConfig(responseTransforms: [
            TransformStep(type: "json", config: ["rename": ["couple": "names"], "remove": ["internal", "guests.email"], "set": ["version": 2], "add": ["id": "ignored", "source": "gateway"]]),
            TransformStep(type: "envelope", config: ["key": "wedding"]),
        ]))
        let result = RouteTransforms.transformBody(wedding, steps: transforms.response) { _ in nil }
        #expect(result == ["wedding": [
            "id": "w1", "names": "Ada & Grace", "version": 2, "source": "gateway", "guests": [["name": "Bea", "meal": "fish"], ["name": "Cal"]],
        ]])
        let unwrap = try RouteTransforms(TransformationConfig(responseTransforms: [TransformStep(type: "unwrap", config: ["key": "wedding"])]))
        #expect(RouteTransforms.transformBody(result, steps: unwrap.response) { _ in nil }["names"] == "Ada & Grace")
    }

    @Test("query edits keep other parameters and their encoding")
    func query() throws {
        let transforms = try RouteTransforms(TransformationConfig(requestTransforms: [
            TransformStep(type: "query", config: ["set": ["source": "gate way"], "add": ["page": "1", "q": "no"], "remove": ["secret"], "rename": ["q": "search"]]),
        ]))
        guard case .query(let edits) = transforms.request[0] else { return #expect(Bool(false)) }
        #expect(edits.apply(toQuery: "q=a%20b&secret=x&flag&page=3") == "search=a%20b&flag&page=3&source=gate%20way&q=no")
    }

    @Test("bad steps are refused with the field at fault", arguments: [
        (TransformationConfig(requestTransforms: [TransformStep(type: "envelope")]), "transformation_config.request_transforms[0].type"),
        (TransformationConfig(responseTransforms: [TransformStep(type: "json", config: ["rename": ["a": 1]])]), "transformation_config.response_transforms[0].config.rename.a"),
        (TransformationConfig(responseTransforms: [TransformStep(type: "headers", config: ["set": ["Bad Name": "x"]])]), "transformation_config.response_transforms[0].config.set"),
        (TransformationConfig(responseTransforms: [TransformStep(type: "field_filter", config: ["allowed": ["a"]])]), "transformation_config.response_transforms[0].config.allowed"),
        (TransformationConfig(responseTransforms: [TransformStep(type: "json", config: ["remove": ["a..b"]])]), "transformation_config.response_transforms[0].config.remove"),
        (TransformationConfig(responseTransforms: [TransformStep(type: "unwrap", config: "data")]), "transformation_config.response_transforms[0].config"),
    ] as [(TransformationConfig, String)])
    func refusals(config: TransformationConfig, field: String) {
        do {
            _ = try RouteTransforms(config)
            Issue.record("accepted")
        } catch {
            #expect(error.field == field)
        }
    }
}
