#include "common/logging.h"

Q_LOGGING_CATEGORY(lcUi, "cachescope.ui")
