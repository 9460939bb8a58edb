/// A byte buffer whose storage is kept from one use to the next (the `list` replies,
/// written on every `procctl list`).
final class ReusedBuffer {
    private var storage: [UInt8] = []

    /// The buffer, empty, with the capacity of the last one given back.
    func take() -> [UInt8] {
        var bytes = storage
        storage = []
        bytes.removeAll(keepingCapacity: true)
        return bytes
    }

    func giveBack(_ bytes: [UInt8]) { storage = bytes }
}
