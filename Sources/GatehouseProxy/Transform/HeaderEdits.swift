import GatehouseCore
import NIOHTTP1

/// A `headers` transform step applied to header fields: renames, removals, `set`, then `add`.
enum HeaderEdits {
    static func apply(_ edits: RouteTransforms.NameValueEdits, to headers: inout HTTPHeaders) {
        for pair in edits.rename {
            let values = headers[pair.name]
            guard !values.isEmpty else { continue }
            headers.remove(name: pair.name)
            for value in values { headers.add(name: pair.value, value: value) }
        }
        for name in edits.remove { headers.remove(name: name) }
        for pair in edits.set { headers.replaceOrAdd(name: pair.name, value: pair.value) }
        for pair in edits.add where !headers.contains(name: pair.name) { headers.add(name: pair.name, value: pair.value) }
    }

    /// Every `headers` step of `steps`, in order.
    static func apply(_ steps: [RouteTransforms.Step], to headers: inout HTTPHeaders) {
        for case .headers(let edits) in steps { apply(edits, to: &headers) }
    }
}
