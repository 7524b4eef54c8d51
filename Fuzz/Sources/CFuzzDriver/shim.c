// The declaration in include/CFuzzDriver.h is all this module provides; the definition is libFuzzer's.
#include "CFuzzDriver.h"
