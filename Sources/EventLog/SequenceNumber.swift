/// A position in the global log. The first event is 1; 0 means "before everything".
public typealias SequenceNumber = UInt64
