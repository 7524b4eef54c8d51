#!/usr/bin/env python3
"""Writes the hand-made sample batches in samples/ (deterministic; run from the project root).

Each order exercises real-world quirks from docs (ORDERMENTUM.md): TBA and UTC-midnight delivery
dates, 4-decimal string prices, missing SKU, unleashed_product_code on the product, properties at
order and customer level (and in the tags list), freight, cancelled and deleted orders, an order
with no customer code, non-taxable lines, weighed goods, "NaN" display values, {} for missing.
"""
import json, copy, os

def addr(street, suburb, state, postcode, country=""):
    return {"street1": street, "street2": "", "suburb": suburb, "state": state, "postcode": postcode, "country": country}

def customer(cid, name, props, billing="accounts@{}.example", first="Sam", last="Lee"):
    slug = name.split()[0].lower()
    return {
        "id": cid, "name": name, "retailerName": name, "retailerTradingName": name.replace(" Pty Ltd", ""),
        "retailerLegalName": name, "reference": "", "retailerEmail": f"orders@{slug}.example",
        "retailerBillingEmail": billing.format(slug) if billing else "",
        "retailerPhone": "0291234567", "retailerAddress": addr("12 King St", "Newtown", "NSW", "2042"),
        "billingAddress": addr("", "", "", ""),
        "retailer": {"contactFirstName": first, "contactLastName": last, "contactEmail": f"{first.lower()}@{slug}.example"},
        "properties": props,
    }

C_BEAN = customer("6f1c2a30-1d4e-4c55-9a1b-0c7e5d2f9a01", "Bean Counter Pty Ltd",
                  {"unleashed_customer_code": "BEAN001", "unleashed_warehouse": "SYD",
                   "unleashed_sales_person": "ana@supplier.example", "unleashed_freight_product_id": "FREIGHT",
                   "xero_error": "", "demo": False})
C_LOAF = customer("0b8f4e6a-77c2-4d1e-8f3a-5a6b7c8d9e02", "Loaf Bakery Pty Ltd",
                  {"unleashed_customer_code": "LOAF002", "unleashed_order_sales_group": "Cafes",
                   "unleashed_delivery_method": "Van 1"})
C_NOCODE = customer("9a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c03", "Nameless Deli Pty Ltd", {"unleashed_warehouse": "MEL"},
                    billing="")

def line(sku, name, qty, price, taxable=True, product_props=None, weight=None, sku_key=True):
    from decimal import Decimal, ROUND_HALF_UP
    p = Decimal(price); st = (p * qty).quantize(Decimal("0.0001"))
    tax = (st * Decimal("0.1")).quantize(Decimal("0.0001")) if taxable else Decimal("0")
    item = {"id": f"li-{sku or 'none'}-{qty}", "name": name}
    if sku_key: item["SKU"] = sku
    item.update({"quantity": qty, "price": price, "subtotal": f"{st:.4f}", "tax": f"{tax:.4f}", "gst": f"{tax:.4f}",
                 "total": f"{st + tax:.4f}", "taxable": taxable,
                 "product": {"SKU": sku, "properties": product_props or {}}})
    if weight is not None: item["weight"] = weight
    return item

def order(oid, number, cust, lines, freight=0, delivery="2019-04-09T14:00:00.000Z", props=None, tags=None,
          status="Placed", cancelled=None, deleted=None, comment="", reference="", embed=True, extra=None):
    from decimal import Decimal, ROUND_HALF_UP
    C = Decimal("0.01")
    sub = sum(Decimal(l["price"]) * l["quantity"] for l in lines)
    gst = sum((Decimal(l["price"]) * l["quantity"] * Decimal("0.1")).quantize(C, ROUND_HALF_UP) for l in lines if l["taxable"])
    fgst = (Decimal(str(freight)) * Decimal("0.1")).quantize(C, ROUND_HALF_UP)
    o = {
        "id": oid, "orderNumber": number, "number": number, "name": f"Order - #{number}",
        "status": status, "orderStatus": "Cancelled" if status == "Cancelled" else "Placed", "type": "manual",
        "createdAt": "2019-04-08T22:15:05.120Z", "placedOn": "2019-04-08T22:16:31.902Z",
        "updatedAt": "2019-04-08T23:02:11.448Z", "cancelledAt": cancelled, "deletedAt": deleted,
        "deliveryDate": delivery, "comment": comment, "reference": reference,
        "purchaserId": cust["id"], "retailerName": cust["retailerName"], "retailerAddress": cust["retailerAddress"],
        "freight": freight, "totalFreight": freight, "subtotal": float(sub.quantize(C, ROUND_HALF_UP)),
        "totalGST": float(gst + fgst), "total": float((sub + Decimal(str(freight)) + gst + fgst).quantize(C, ROUND_HALF_UP)),
        "display": {"total": f"{float(sub):.2f}", "discount": "NaN"},
        "lineItems": lines, "properties": props if props is not None else {"placedByRetailer": True},
        "tags": tags if tags is not None else [], "supplier": {"timezone": "Australia/Sydney"},
    }
    if embed: o["purchaser"] = cust; o["retailer"] = {"id": cust["id"], "name": cust["name"]}
    if extra: o.update(extra)
    return o

def orders(embed=True):
    return [
        # 1. Plain order: customer-level properties (warehouse SYD, sales person, freight product), freight,
        #    delivery at UTC 14:00 = local midnight in Sydney (10 April), product code override on one line.
        order("3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e01", "OM10452", C_BEAN, [
            line("COF-1KG", "House blend 1kg", 3, "28.7900"),
            line("MILK-2L", "Full cream milk 2L", 12, "2.4500", taxable=False),
            line("CUP-8OZ", "Cups 8oz (sleeve)", 2, "11.9950", product_props={"unleashed_product_code": "U-CUP-8"}),
        ], freight=12.5, comment="Leave at back door", reference="PO-7781", embed=embed),
        # 2. Order-level properties win: warehouse MEL on the order, customer code via the tags list only,
        #    delivery TBA, weighed goods, a half-cent rounding boundary (3.3350 → 3.34, half up).
        order("3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e02", "OM10453", C_LOAF, [
            line("SOUR-LOAF", "Sourdough loaf", 20, "4.2000"),
            line("BRIE-KG", "Brie (per kg)", 1, "3.3350", weight=1.25),
        ], delivery="TBA", props={"placedByRetailer": True, "unleashed_warehouse": "MEL"},
           tags=[{"key": "unleashed_customer_code", "value": "LOAF002-B"}], embed=embed),
        # 3. Cancelled in Ordermentum: supersede the original, no new order.
        order("3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e03", "OM10454", C_BEAN, [line("COF-1KG", "House blend 1kg", 1, "28.7900")],
              status="Cancelled", cancelled="2019-04-09T01:00:00.000Z", embed=embed),
        # 4. No customer code anywhere (order, tags, customer): invalid, the rest goes on.
        order("3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e04", "OM10455", C_NOCODE, [line("SOUR-LOAF", "Sourdough loaf", 5, "4.2000")],
              embed=embed),
        # 5. A line without SKU (key missing) and one with an empty SKU: no product code → invalid.
        order("3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e05", "OM10456", C_LOAF, [
            line("", "Custom cake", 1, "45.0000", sku_key=False),
            line("", "Candles", 2, "1.5000"),
        ], delivery=None, embed=embed),
        # 6. Deleted (deletedAt set, status still Placed): supersede.
        order("3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e06", "OM10457", C_LOAF, [line("SOUR-LOAF", "Sourdough loaf", 2, "4.2000")],
              deleted="2019-04-10T03:00:00.000Z", embed=embed),
        # 7. Order-level customer code and freight product; sales person on the order; older totalGst key.
        order("3d5e7f90-0a1b-4c2d-8e3f-4a5b6c7d8e07", "OM10458", C_LOAF, [
            line("COF-1KG", "House blend 1kg", 2, "28.7900"),
            line("TEA-250", "Earl grey 250g", 4, "9.9900"),
        ], freight=8.5, delivery="2019-04-11T14:00:00.000Z",
           props={"placedByRetailer": True, "unleashed_customer_code": "LOAF002",
                  "unleashed_sales_person": "ben@supplier.example", "unleashed_freight_product_id": "FREIGHT-VAN"},
           embed=embed, extra={"totalGst": 7.61}),
    ]

def dump(path, doc, ndjson=False):
    with open(path, "w") as f:
        if ndjson:
            for o in doc: f.write(json.dumps(o, separators=(",", ":"))); f.write("\n")
        else:
            json.dump(doc, f, indent=2); f.write("\n")

os.makedirs("samples", exist_ok=True)
os_ = orders()
dump("samples/orders-envelope.json", {"meta": {"totalResults": len(os_), "totalPages": 1, "pageSize": 50, "pageNo": 1},
                                      "links": {"self": "/v1/orders?pageNo=1&pageSize=50"}, "data": os_})
dump("samples/orders-array.json", os_)
dump("samples/orders.ndjson", os_, ndjson=True)
# Export shape: orders without embedded purchaser, joined by purchaserId; customers AFTER the orders.
ex = orders(embed=False)
dump("samples/export.json", {"orders": ex, "customers": [C_BEAN, C_LOAF, C_NOCODE]})
