import ProcdTestSupport

/// Every `Process` in these tests is a `ChildProcess` (see why there).
typealias Process = ChildProcess
