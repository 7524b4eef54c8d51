import Testing
@testable import Rules

/// Types checked before any record is read, where they can be known.
@Suite struct ExpressionTypeCheckerTests {
    @Test(arguments: [
        ("round(\"x\", 2)", "E405@16"),
        ("settings.sync_order_number + 1", "E405@10"),
        ("\"a\" * 2", "E405@10"),
        ("-\"a\"", "E405@11"),
        ("order.total / 0", "E405@24"),
        ("true < 1", "E405@10"),
        ("\"a\" < 1", "E405@14"),
        ("round(order.x, 2.5)", "E405@25"),
        ("truncate(order.x, -1)", "E405@28"),
        ("local_date(order.x, settings.tax_rate)", "E405@30"),
        ("lookup(order.table, 1)", "E405@17"),
        ("sum(\"abc\")", "E405@14"),
        ("warehouse_exists(true)", "E405@27"),
    ])
    func mismatches(text: String, expected: String) {
        #expect(Fixture.problems(text) == [expected])
    }

    @Test(arguments: [
        "settings.sync_order_number ? 1 : 2",
        "not settings.currency",
        "settings.currency + \" \" + order.number",
        "order.a * line_free_number(1)".replacingOccurrences(of: "line_free_number(1)", with: "decimal(order.b)"),
        "round(decimal(order.price) * settings.tax_rate, 2)",
        "local_date(order.deliveryDate, \"Australia/Perth\")",
        "local_date(order.deliveryDate, settings.timezone)",
        "settings.places + 1",
        "null + 1",
        "prop.warehouse ?? \"MAIN\"",
        "min(1, 2, decimal(order.x))",
    ])
    func accepted(text: String) {
        #expect(Fixture.problems(text).isEmpty)
    }
}
