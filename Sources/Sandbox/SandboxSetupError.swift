/// A problem that stops the sandbox from starting (bad seed, unreadable state file, bad options).
public struct SandboxSetupError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var message: String
    /// Wraps a message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
