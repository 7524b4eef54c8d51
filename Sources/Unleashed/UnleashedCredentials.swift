/// The credentials of one Unleashed account: API ID, API key and the API's base URL.
///
/// Printing it never shows the key (`APIKey` redacts itself).
public struct UnleashedCredentials: Sendable, CustomStringConvertible {
    /// Unleashed's production API.
    public static let defaultBaseURL = "https://api.unleashedsoftware.com"

    /// The account's API ID (`api-auth-id`).
    public var apiID: String
    /// The account's API key (signs requests; never printed).
    public var apiKey: APIKey
    /// `https://…`, or `http://` for a loopback host (the sandbox).
    public var baseURL: String

    /// Credentials for `baseURL` (default: Unleashed's production API).
    public init(apiID: String, apiKey: APIKey, baseURL: String = UnleashedCredentials.defaultBaseURL) {
        self.apiID = apiID
        self.apiKey = apiKey
        self.baseURL = baseURL
    }

    /// `api id ID at URL` (the key is never shown).
    public var description: String { "api id \(apiID) at \(baseURL) (key <redacted>)" }
}
