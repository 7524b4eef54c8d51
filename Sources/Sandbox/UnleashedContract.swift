import Unleashed

/// The sandbox reads and writes dates with the contract's `DotNetDate` (the Unleashed target owns it).
typealias DotNetDate = Unleashed.DotNetDate
