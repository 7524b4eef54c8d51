import OMSyncCommands

/// Runs the root command through its async entry point (top-level code picks the sync `main()`).
func start() async {
    await OMSync.runMain()
}

await start()
