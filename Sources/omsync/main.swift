import OMSyncCommands

await OMSync.main()
