extension String {
    /// The text with each character found in `table` written as its replacement.
    public func escaping(_ table: [Character: String]) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            if let replacement = table[character] { out += replacement } else { out.append(character) }
        }
        return out
    }
}
