// Batch module
