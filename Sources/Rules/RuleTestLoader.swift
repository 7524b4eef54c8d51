import Batch
import Foundation

/// Reads rule tests from `<rules>/tests/*.yaml`. A file holds an optional `base:` (inputs every
/// case starts from) and `tests:`, a list of cases:
/// ```yaml
/// base:
///   order: { id: o-1, orderNumber: OM1, properties: { unleashed_customer_code: ACME } }
/// tests:
///   - name: new order is created
///     order: { id: o-1, orderNumber: OM1, lineItems: [] }
///     customer: { properties: { unleashed_customer_code: ACME } }
///     settings: { sync_order_number: true }
///     state: { pushed: false }
///     warehouses: [OM_DELETE]
///     original: { CustomerRef: OM1, OrderStatus: Parked }
///     expect:
///       action: create
///       message: …
///       payload: { Customer.CustomerCode: ACME, OrderNumber: OM1, SalesOrderLines[0].UnitPrice: 28.79 }
///       supersede: { OrderStatus: Deleted }
///       problems: [{ severity: warning, code: …, field: …, message: … }]
///       no_problems: true
/// ```
public enum RuleTestLoader {
    /// Every case of every `*.yaml`/`*.yml` file in `<directory>/tests`, in file-name order.
    /// A missing tests directory gives no cases and no diagnostics.
    public static func load(directory: String) -> (cases: [RuleTestCase], diagnostics: [Diagnostic]) {
        let base = (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/tests"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted()
        var problems: [Diagnostic] = []
        var files: [(path: String, text: String)] = []
        for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = base + "/" + name
            if let text = RuleLoader.readFile(path, role: .test, into: &problems) { files.append((path, text)) }
        }
        let result = load(files: files)
        return (result.cases, problems + result.diagnostics)
    }

    /// The same from in-memory text.
    public static func load(files: [(path: String, text: String)]) -> (cases: [RuleTestCase], diagnostics: [Diagnostic]) {
        var reader = RuleTestReader()
        var cases: [RuleTestCase] = []
        for file in files {
            let source = SourceText(path: file.path, text: file.text)
            reader.checker.sources[file.path] = source
            let (root, problems) = YAMLReader.read(source)
            reader.checker.diagnostics += problems
            guard let root, let pairs = reader.checker.mapping(root, "a rule test file") else { continue }
            reader.checker.checkKeys(pairs, allowed: RuleKeys.testFile.allowed, required: RuleKeys.testFile.required, in: "a rule test file", at: root.location)
            let base = reader.checker.value("base", in: pairs).map { reader.base($0) } ?? RuleTestReader.Inputs()
            guard let list = reader.checker.value("tests", in: pairs), let items = reader.checker.sequence(list, "tests") else { continue }
            for item in items {
                if let testCase = reader.testCase(item, base: base) { cases.append(testCase) }
            }
        }
        return (cases, RuleChecker.sorted(reader.checker.diagnostics, fileOrder: files.map(\.path)))
    }
}
