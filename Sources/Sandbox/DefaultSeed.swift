/// The seed used when `--seed` is absent and `samples/sandbox-seed.yaml` is not in the working directory.
///
/// Kept identical to `samples/sandbox-seed.yaml` (a test compares them).
public enum DefaultSeed {
    /// The YAML text of the default seed.
    public static let yaml = #"""
# The default seed of `omsync sandbox`: the reference data an Unleashed account needs for the
# samples in this folder (and a couple of orders to try the status rules on).
# Field names are Unleashed's. A record without Guid gets a stable one derived from its code.
# The binary embeds the same text (Sources/Sandbox/DefaultSeed.swift) for when this file is absent.
currencies:
  - { CurrencyCode: AUD, Description: "Australia, Dollars" }
taxes:
  - { TaxCode: G.S.T., Description: Goods and Services Tax, TaxRate: 0.1, CanApplyToRevenue: true }
  - { TaxCode: NONE, Description: No tax, TaxRate: 0, CanApplyToRevenue: true }
warehouses:
  - { WarehouseCode: MAIN, WarehouseName: Main warehouse, IsDefault: true }
  - { WarehouseCode: OM_DELETE, WarehouseName: Superseded Ordermentum orders, IsDefault: false }
  - { WarehouseCode: SYD, WarehouseName: Sydney, IsDefault: false }
  - { WarehouseCode: MEL, WarehouseName: Melbourne, IsDefault: false }
  - { WarehouseCode: BNE, WarehouseName: Brisbane, IsDefault: false }
salespersons:
  - { FullName: Ana Alvarez, Email: ana@supplier.example }
  - { FullName: Ben Brown, Email: ben@supplier.example }
  - { FullName: Cho Chen, Email: cho@supplier.example }
salesOrderGroups:
  - { GroupName: Cafes }
  - { GroupName: Restaurants }
  - { GroupName: Grocers }
deliveryMethods:
  - { Name: Van 1 }
  - { Name: Van 2 }
  - { Name: Courier }
products:
  - { ProductCode: OM_FREIGHT, ProductDescription: Freight, NeverDiminishing: true, IsSellable: true }
  - { ProductCode: FREIGHT, ProductDescription: Freight (customer rate), NeverDiminishing: true, IsSellable: true }
  - { ProductCode: FREIGHT-VAN, ProductDescription: Freight by van, NeverDiminishing: true, IsSellable: true }
  - { ProductCode: COF-1KG, ProductDescription: House blend 1kg, IsSellable: true }
  - { ProductCode: MILK-2L, ProductDescription: Full cream milk 2L, IsSellable: true }
  - { ProductCode: U-CUP-8, ProductDescription: Cups 8oz (sleeve), IsSellable: true }
  - { ProductCode: SOUR-LOAF, ProductDescription: Sourdough loaf, IsSellable: true }
  - { ProductCode: BRIE-KG, ProductDescription: Brie (per kg), IsSellable: true }
  - { ProductCode: TEA-250, ProductDescription: Earl grey 250g, IsSellable: true }
  - { ProductCode: OLD-STOCK, ProductDescription: Discontinued line, IsSellable: false }
customers:
  - { CustomerCode: BEAN001, CustomerName: Bean Counter Pty Ltd, ContactFirstName: Bea, Email: orders@beancounter.example }
  - { CustomerCode: LOAF002, CustomerName: Loaf Bakery Pty Ltd, ContactFirstName: Lou, Email: orders@loaf.example }
  - { CustomerCode: LOAF002-B, CustomerName: Loaf Bakery (second site), ContactLastName: Baker }
  - { CustomerCode: ACME, CustomerName: Acme Cafe, ContactFirstName: Ada, Email: orders@acme.example }
salesOrders:
  - Guid: 5a1d0c2e-0000-4000-8000-000000000001
    OrderNumber: SO-00000001
    OrderStatus: Parked
    OrderDate: 2025-03-10T00:00:00
    Customer: { CustomerCode: ACME }
    Warehouse: { WarehouseCode: MAIN }
    Currency: { CurrencyCode: AUD }
    ExchangeRate: 1
    Tax: { TaxCode: G.S.T. }
    TaxRate: 0.1
    SourceId: sandbox-seed
    SalesOrderLines:
      - { LineNumber: 1, Product: { ProductCode: COF-1KG }, OrderQuantity: 2, UnitPrice: 28.79, LineTotal: 57.58, LineTax: 5.76 }
      - { LineNumber: 2, Product: { ProductCode: MILK-2L }, OrderQuantity: 6, UnitPrice: 2.45, LineTotal: 14.70, LineTax: 0, LineTaxCode: NONE }
    SubTotal: 72.28
    TaxTotal: 5.76
    Total: 78.04
  - Guid: 5a1d0c2e-0000-4000-8000-000000000002
    OrderNumber: SO-00000002
    OrderStatus: Completed
    OrderDate: 2025-03-11T00:00:00
    Customer: { CustomerCode: BEAN001 }
    Warehouse: { WarehouseCode: SYD }
    ExchangeRate: 1
    Tax: { TaxCode: G.S.T. }
    TaxRate: 0.1
    SourceId: sandbox-seed
    SalesOrderLines:
      - { LineNumber: 1, Product: { ProductCode: COF-1KG }, OrderQuantity: 1, UnitPrice: 28.79, LineTotal: 28.79, LineTax: 2.88 }
    SubTotal: 28.79
    TaxTotal: 2.88
    Total: 31.67

"""#
}
