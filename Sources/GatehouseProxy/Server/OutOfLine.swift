/// A value kept in its own allocation, behind a reference: for a large value that an object
/// holds only sometimes, so the object stays small when it does not (see ``Exchange``).
final class OutOfLine<Value> {
    let value: Value

    init(_ value: consuming Value) {
        self.value = value
    }
}
