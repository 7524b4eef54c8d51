import Batch
import Foundation
import Rules

/// The page `omsync serve` serves: plain HTML, CSS and JavaScript (`Page/index.html`,
/// `Page/style.css`, `Page/app.js`), compiled into the binary as SwiftPM resources (nothing from
/// a registry, nothing from the network, no file read at run time). The per-run token is written
/// into a meta tag, where only a script of this origin can read it; the script's lists of actions
/// and states are written from the Swift enums, so the page cannot drift from them.
enum ServePage {
    /// The page, with `token` in `<meta name="omsync-token">` (hex, so it needs no escaping).
    static func html(token: String) -> String {
        let safe = String(token.unicodeScalars.filter { $0.properties.isASCIIHexDigit })
        return page.replacingOccurrences(of: "{{TOKEN}}", with: safe)
    }

    /// `Page/index.html`, with its `{{TOKEN}}` placeholder.
    static let page = String(decoding: PackageResources.index_html, as: UTF8.self)

    /// `Page/style.css`: two panes that fit 1280×800, system fonts, clear contrast.
    static let style = String(decoding: PackageResources.style_css, as: UTF8.self)

    /// `Page/app.js` (the editor, the debounced check and preview, the views), with `ACTIONS`,
    /// `STATE_LABELS` and `STATE_TITLES` filled in from `Action` and `PreviewEngine.StateChoice`.
    static let script = fill(String(decoding: PackageResources.app_js, as: UTF8.self), constants)

    /// What replaces each `/*{{NAME}}*/[]` or `/*{{NAME}}*/{}` marker of the script.
    static var constants: [String: String] {
        let states = PreviewEngine.StateChoice.allCases
        return [
            "ACTIONS": "[" + Action.allCases.map { quoted($0.rawValue) }.joined(separator: ", ") + "]",
            "STATE_LABELS": object(states.map { ($0.rawValue, $0.label) }),
            "STATE_TITLES": object(states.map { ($0.rawValue, $0.title) }),
        ]
    }

    /// `text` with each marker `/*{{NAME}}*/[]` (or `{}`) replaced by `values[NAME]`.
    static func fill(_ text: String, _ values: [String: String]) -> String {
        var text = text
        for (name, value) in values {
            for empty in ["[]", "{}"] {
                text = text.replacingOccurrences(of: "/*{{\(name)}}*/\(empty)", with: value)
            }
        }
        return text
    }

    /// `{ key: "value", … }`: keys bare when they are JavaScript identifiers, else quoted.
    static func object(_ pairs: [(String, String)]) -> String {
        "{ " + pairs.map { key, value in
            let bare = key.first.map { $0.isLetter || $0 == "_" } == true && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            return (bare ? key : quoted(key)) + ": " + quoted(value)
        }.joined(separator: ", ") + " }"
    }

    /// A JavaScript string literal (JSON's, which JavaScript reads the same).
    static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension PreviewEngine.StateChoice {
    /// The state switch's label on the page.
    var label: String {
        switch self {
        case .new: return "New"
        case .pushed: return "Pushed"
        case .changed: return "Changed"
        case .changedInUnleashed: return "Changed in Unleashed"
        case .ledger: return "Ledger"
        }
    }

    /// The label's tooltip: which `state.*` facts the choice assumes.
    var title: String {
        switch self {
        case .new: return "Never pushed: every state fact false"
        case .pushed: return "Pushed before, unchanged since (state.pushed)"
        case .changed: return "Pushed, then changed in Ordermentum (state.pushed, state.changed)"
        case .changedInUnleashed: return "Pushed, then changed in Unleashed (state.pushed, state.changed_in_unleashed)"
        case .ledger: return "Each order with what the ledger knows of it"
        }
    }
}
