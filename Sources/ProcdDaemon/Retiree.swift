import ProcdCore
import ProcdPlatform

/// A process taken out of its slot by a reload or an announced exit: it keeps running
/// (and serving) until its replacement is online, then is asked to stop.
struct Retiree {
    var pid: Int32
    var slot: Int
    var label: String
    var killSignal: Int32
    var killTimeout: Duration
    var channel: IPCChannel?
    /// Set once it has been asked to stop; SIGKILL follows at this tick.
    var killAt: Tick?
}
