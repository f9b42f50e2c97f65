// Errors as values: every fallible engine call returns a Status or a
// Result<T>. No exception crosses the public API.
//
// Thread safety: Status and Result are plain values; distinct objects may be
// used from distinct threads freely.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace diskcache {

enum class StatusCode {
    Ok = 0,
    NotFound,         // the key, file or directory does not exist
    Corrupt,          // the database or a value file is damaged or not a cache
    Timeout,          // the database stayed locked past the cache's timeout
    ReadOnly,         // a write was asked of a read-only cache or file system
    Io,               // the operating system refused (permission, disk full...)
    InvalidArgument,  // the caller asked for something that cannot be done
    Unsupported,      // valid, but this build or format version cannot do it
    Cancelled,        // a progress callback asked to stop
};

// A short stable name for a code ("not-found", "timeout"...), for logs and JSON.
const char* statusCodeName(StatusCode code);

class [[nodiscard]] Status {
public:
    Status() = default;
    Status(StatusCode code, std::string message) : m_code(code), m_message(std::move(message)) {}

    static Status ok() { return {}; }
    static Status notFound(std::string m) { return {StatusCode::NotFound, std::move(m)}; }
    static Status corrupt(std::string m) { return {StatusCode::Corrupt, std::move(m)}; }
    static Status timeout(std::string m) { return {StatusCode::Timeout, std::move(m)}; }
    static Status readOnly(std::string m) { return {StatusCode::ReadOnly, std::move(m)}; }
    static Status io(std::string m) { return {StatusCode::Io, std::move(m)}; }
    static Status invalidArgument(std::string m) { return {StatusCode::InvalidArgument, std::move(m)}; }
    static Status unsupported(std::string m) { return {StatusCode::Unsupported, std::move(m)}; }
    static Status cancelled(std::string m = "cancelled") { return {StatusCode::Cancelled, std::move(m)}; }

    bool isOk() const { return m_code == StatusCode::Ok; }
    explicit operator bool() const { return isOk(); }
    StatusCode code() const { return m_code; }
    const std::string& message() const { return m_message; }
    // "timeout: database is locked" style text for people.
    std::string toString() const;

private:
    StatusCode m_code = StatusCode::Ok;
    std::string m_message;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::move(value)) {}            // NOLINT: implicit by design
    Result(Status status) : m_data(std::move(status)) {        // NOLINT: implicit by design
        assert(!std::get<Status>(m_data).isOk() && "a Result error needs a failed Status");
    }

    bool isOk() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return isOk(); }

    const T& value() const& { return std::get<T>(m_data); }
    T& value() & { return std::get<T>(m_data); }
    T&& value() && { return std::get<T>(std::move(m_data)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    // The value, or `fallback` when there is none.
    T valueOr(T fallback) const& { return isOk() ? value() : std::move(fallback); }
    T valueOr(T fallback) && { return isOk() ? std::move(*this).value() : std::move(fallback); }

    // The failure; Status::ok() when there is a value.
    Status status() const { return isOk() ? Status::ok() : std::get<Status>(m_data); }

private:
    std::variant<T, Status> m_data;
};

}  // namespace diskcache

// Return early from a function returning Status or Result<T> when `expr`
// (a Status) failed.
#define DISKCACHE_TRY(expr)                        \
    do {                                           \
        ::diskcache::Status status_ = (expr);      \
        if (!status_.isOk()) return status_;       \
    } while (false)
