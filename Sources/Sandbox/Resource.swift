import UnleashedContract

/// The record collections the sandbox serves: the contract's resources (`UnleashedResource`:
/// their endpoint names and code fields), the one list the client and the push stage use too.
public typealias Resource = UnleashedResource

extension UnleashedResource {
    /// The key of this collection in a seed or state file (`salesOrders`, `deliveryMethods`, ...).
    public var seedKey: String {
        rawValue.prefix(1).lowercased() + rawValue.dropFirst()
    }
}
