#include "diskcache/status.h"

namespace diskcache {

const char* statusCodeName(StatusCode code) {
    switch (code) {
    case StatusCode::Ok: return "ok";
    case StatusCode::NotFound: return "not-found";
    case StatusCode::Corrupt: return "corrupt";
    case StatusCode::Timeout: return "timeout";
    case StatusCode::ReadOnly: return "read-only";
    case StatusCode::Io: return "io";
    case StatusCode::InvalidArgument: return "invalid-argument";
    case StatusCode::Unsupported: return "unsupported";
    case StatusCode::Cancelled: return "cancelled";
    }
    return "unknown";
}

std::string Status::toString() const {
    if (isOk()) return "ok";
    return std::string(statusCodeName(m_code)) + ": " + m_message;
}

}  // namespace diskcache
