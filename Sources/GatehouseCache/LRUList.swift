/// A doubly linked recency list over array slots: O(1) insert, touch and remove without an
/// allocation per operation once the slots exist. The head is the most recently used element.
struct LRUList<Element> {
    private struct Node {
        var element: Element?
        var previous = -1
        var next = -1
    }

    private var nodes: [Node] = []
    private var free: [Int] = []
    private var head = -1
    private var tail = -1
    private(set) var count = 0

    /// Adds `element` as the most recently used; returns its slot.
    mutating func insert(_ element: Element) -> Int {
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            nodes[slot] = Node(element: element)
        } else {
            slot = nodes.count
            nodes.append(Node(element: element))
        }
        link(slot)
        count += 1
        return slot
    }

    /// Marks the element in `slot` as just used.
    mutating func touch(_ slot: Int) {
        guard head != slot else { return }
        unlink(slot)
        link(slot)
    }

    /// Replaces the element in `slot` and marks it used.
    mutating func replace(_ slot: Int, with element: Element) {
        nodes[slot].element = element
        touch(slot)
    }

    func element(at slot: Int) -> Element { nodes[slot].element! }

    /// Removes and returns the element in `slot`.
    @discardableResult
    mutating func remove(_ slot: Int) -> Element {
        let element = nodes[slot].element!
        unlink(slot)
        nodes[slot].element = nil
        free.append(slot)
        count -= 1
        return element
    }

    /// The least recently used element's slot.
    var leastRecent: Int? { tail >= 0 ? tail : nil }

    private mutating func link(_ slot: Int) {
        nodes[slot].previous = -1
        nodes[slot].next = head
        if head >= 0 { nodes[head].previous = slot }
        head = slot
        if tail < 0 { tail = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous
        let next = nodes[slot].next
        if previous >= 0 { nodes[previous].next = next } else { head = next }
        if next >= 0 { nodes[next].previous = previous } else { tail = previous }
    }
}
