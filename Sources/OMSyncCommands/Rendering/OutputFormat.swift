import ArgumentParser

/// `--format` of the commands that print a summary or a report: `inspect`, `check`, `import`,
/// `retry`, `logs`, `customers list`. ArgumentParser refuses any other value (exit 2, naming
/// the accepted ones).
enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--format` of `omsync preview`. `html` is one self-contained page, with the explanations
/// (it implies `--explain`).
public enum PreviewFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, ndjson, html
}
