/// The one rule for account names (`--account`, the accounts folder, environment variables).
enum AccountName {
    /// The account used when none is named.
    static let defaultName = "default"

    /// Why `name` is not a valid account name, or nil when it is: 1–63 characters of lowercase
    /// letters, digits, `-` and `_`, starting with a letter or digit (so that it can name a file,
    /// a Kubernetes job and an environment variable).
    static func problem(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 63 else { return "an account name has 1 to 63 characters" }
        let allowed = { (c: Unicode.Scalar) in ("a"..."z").contains(c) || ("0"..."9").contains(c) }
        guard allowed(scalars[0]), scalars.allSatisfy({ allowed($0) || $0 == "-" || $0 == "_" }) else {
            return "'\(name)' is not an account name: use lowercase letters, digits, '-' and '_', starting with a letter or digit"
        }
        return nil
    }

    /// The environment variable prefix of an account's credentials: `OMSYNC_ACME_CO_` for `acme-co`.
    static func environmentPrefix(_ name: String) -> String {
        "OMSYNC_" + name.uppercased().replacingOccurrences(of: "-", with: "_") + "_"
    }
}
