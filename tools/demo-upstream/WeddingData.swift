import Foundation
import Synchronization

/// A wedding, as the demo weddings service stores it.
struct Wedding: Codable, Sendable {
    var id: String
    var couple: String
    var date: String
    var venue: String
    var guestCount: Int
}

/// One guest's answer.
struct RSVP: Codable, Sendable {
    var id: String
    var weddingId: String
    var guestName: String
    var attending: Bool
    var mealChoice: String?
    var plusOnes: Int
}

/// A supplier; `internalNotes` is there so response filtering has something to hide.
struct Vendor: Codable, Sendable {
    var id: String
    var name: String
    var category: String
    var rating: Double
    var contact: String
    var internalNotes: String
}

/// The demo's in-memory data, seeded with a few records and shared by all event loops.
final class WeddingData: Sendable {
    private struct Tables {
        var weddings: [String: Wedding]
        var rsvps: [String: [RSVP]]
        var nextID = 100
    }

    let vendors: [Vendor] = [
        Vendor(id: "v1", name: "Bloom & Petal", category: "florist", rating: 4.8, contact: "hello@bloom.example", internalNotes: "pays late"),
        Vendor(id: "v2", name: "Lens of Love", category: "photographer", rating: 4.9, contact: "book@lens.example", internalNotes: "vip"),
        Vendor(id: "v3", name: "Tiered Delights", category: "cake", rating: 4.6, contact: "cakes@tiered.example", internalNotes: ""),
    ]
    private let tables = Mutex(Tables(
        weddings: [
            "w1": Wedding(id: "w1", couple: "Ada & Grace", date: "2027-06-12", venue: "Kew Gardens", guestCount: 120),
            "w2": Wedding(id: "w2", couple: "Alan & Joan", date: "2027-09-04", venue: "Bletchley Park", guestCount: 80),
        ],
        rsvps: ["w1": [RSVP(id: "r1", weddingId: "w1", guestName: "Charles", attending: true, mealChoice: "vegetarian", plusOnes: 1)]]
    ))

    var weddings: [Wedding] { tables.withLock { $0.weddings.values.sorted { $0.id < $1.id } } }

    func wedding(_ id: String) -> Wedding? { tables.withLock { $0.weddings[id] } }

    func save(_ wedding: Wedding) { tables.withLock { $0.weddings[wedding.id] = wedding } }

    @discardableResult
    func deleteWedding(_ id: String) -> Bool { tables.withLock { $0.weddings.removeValue(forKey: id) != nil } }

    func rsvps(of weddingID: String) -> [RSVP] { tables.withLock { $0.rsvps[weddingID] ?? [] } }

    func add(_ rsvp: RSVP) { tables.withLock { $0.rsvps[rsvp.weddingId, default: []].append(rsvp) } }

    /// A fresh id with `prefix`.
    func makeID(_ prefix: String) -> String {
        tables.withLock { tables in
            tables.nextID += 1
            return "\(prefix)\(tables.nextID)"
        }
    }
}
