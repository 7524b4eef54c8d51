// The client speaks the contract: whoever imports the client has the contract's types too.
@_exported import UnleashedContract
