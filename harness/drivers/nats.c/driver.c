/*
 * natsfault's driver for nats.c (libnats): JSON lines on stdin (requests), JSON lines on stdout
 * (answers and events). The protocol is described in harness/drivers/README.md. It exits when
 * stdin closes.
 *
 * Events come from libnats' own threads (callbacks, subscriptions), answers from the main
 * thread: every line goes out whole, under one mutex.
 */

#include <jansson.h>
#include <nats/nats.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* Writes `v` as one line and releases it. */
static void emit(json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(v);
    if (text == NULL)
        return;
    pthread_mutex_lock(&out_lock);
    fputs(text, stdout);
    fputc('\n', stdout);
    fflush(stdout);
    pthread_mutex_unlock(&out_lock);
    free(text);
}

/* The natsStatus as the header names it, so an error is named as an application tests it. */
static const char *status_name(natsStatus s)
{
#define NAME(x) \
    case x:     \
        return #x;
    switch (s)
    {
        NAME(NATS_OK)
        NAME(NATS_ERR)
        NAME(NATS_PROTOCOL_ERROR)
        NAME(NATS_IO_ERROR)
        NAME(NATS_LINE_TOO_LONG)
        NAME(NATS_CONNECTION_CLOSED)
        NAME(NATS_NO_SERVER)
        NAME(NATS_STALE_CONNECTION)
        NAME(NATS_SECURE_CONNECTION_WANTED)
        NAME(NATS_SECURE_CONNECTION_REQUIRED)
        NAME(NATS_CONNECTION_DISCONNECTED)
        NAME(NATS_CONNECTION_AUTH_FAILED)
        NAME(NATS_NOT_PERMITTED)
        NAME(NATS_NOT_FOUND)
        NAME(NATS_ADDRESS_MISSING)
        NAME(NATS_INVALID_SUBJECT)
        NAME(NATS_INVALID_ARG)
        NAME(NATS_INVALID_SUBSCRIPTION)
        NAME(NATS_INVALID_TIMEOUT)
        NAME(NATS_ILLEGAL_STATE)
        NAME(NATS_SLOW_CONSUMER)
        NAME(NATS_MAX_PAYLOAD)
        NAME(NATS_MAX_DELIVERED_MSGS)
        NAME(NATS_INSUFFICIENT_BUFFER)
        NAME(NATS_NO_MEMORY)
        NAME(NATS_SYS_ERROR)
        NAME(NATS_TIMEOUT)
        NAME(NATS_FAILED_TO_INITIALIZE)
        NAME(NATS_NOT_INITIALIZED)
        NAME(NATS_SSL_ERROR)
        NAME(NATS_NO_SERVER_SUPPORT)
        NAME(NATS_NOT_YET_CONNECTED)
        NAME(NATS_DRAINING)
        NAME(NATS_INVALID_QUEUE_NAME)
        NAME(NATS_NO_RESPONDERS)
        NAME(NATS_MISMATCH)
        NAME(NATS_MISSED_HEARTBEAT)
    }
#undef NAME
    return "natsStatus";
}

/* `{"kind":"NATS_TIMEOUT","message":...}`: the status and this thread's last error text (the
 * status' own text when the library set none). */
static json_t *error_of(natsStatus s)
{
    const char *text = nats_GetLastError(NULL);
    if (text == NULL || text[0] == '\0')
        text = natsStatus_GetText(s);
    return json_pack("{s:s, s:s}", "kind", status_name(s), "message", text);
}

/* A JSON string of `len` bytes; bytes that are not UTF-8 become U+FFFD. */
static json_t *text_of(const char *data, int len)
{
    json_t *v = json_stringn(data, (size_t)len);
    if (v != NULL)
        return v;
    char *clean = malloc((size_t)len * 3 + 1);
    size_t n = 0;
    for (int i = 0; i < len; i++)
    {
        unsigned char c = (unsigned char)data[i];
        if (c < 0x80 && c != 0)
            clean[n++] = (char)c;
        else
            n += (size_t)sprintf(clean + n, "\xEF\xBF\xBD");
    }
    v = json_stringn(clean, n);
    free(clean);
    return v;
}

static void on_event(const char *name)
{
    emit(json_pack("{s:s}", "event", name));
}

/* The closed callback ran: `close` waits for it (bounded) so its event precedes the answer. */
static pthread_mutex_t closed_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t closed_cond = PTHREAD_COND_INITIALIZER;
static bool closed_seen = false;

static void on_connected(natsConnection *nc, void *closure)
{
    (void)nc, (void)closure;
    on_event("connected");
}

static void on_disconnected(natsConnection *nc, void *closure)
{
    (void)nc, (void)closure;
    on_event("disconnected");
}

static void on_reconnected(natsConnection *nc, void *closure)
{
    (void)nc, (void)closure;
    on_event("reconnected");
}

static void on_closed(natsConnection *nc, void *closure)
{
    (void)nc, (void)closure;
    on_event("closed");
    pthread_mutex_lock(&closed_lock);
    closed_seen = true;
    pthread_cond_broadcast(&closed_cond);
    pthread_mutex_unlock(&closed_lock);
}

/* libnats sets the error's text as this thread's last error before calling the handler. */
static void on_error(natsConnection *nc, natsSubscription *sub, natsStatus err, void *closure)
{
    (void)nc, (void)sub, (void)closure;
    json_t *e = error_of(err);
    json_object_set_new(e, "event", json_string("error"));
    emit(e);
}

/* What `jwt` and `jwt_seed` (or `nkey_seed`) sign with: the seed, kept in memory only. */
static char *signing_seed = NULL;
static char *user_jwt = NULL;

static natsStatus sign_nonce(char **custom_err, unsigned char **sig, int *sig_len, const char *nonce, void *closure)
{
    (void)custom_err, (void)closure;
    return nats_Sign(signing_seed, nonce, sig, sig_len);
}

static natsStatus give_jwt(char **jwt, char **custom_err, void *closure)
{
    (void)custom_err, (void)closure;
    *jwt = strdup(user_jwt);
    return *jwt == NULL ? NATS_NO_MEMORY : NATS_OK;
}

typedef struct
{
    natsConnection *nc;
    int64_t request_timeout_ms;
} driver;

/* A field's string, or NULL when it is absent or null. */
static const char *str(json_t *r, const char *key)
{
    return json_string_value(json_object_get(r, key));
}

static json_int_t num(json_t *r, const char *key, json_int_t otherwise)
{
    json_t *v = json_object_get(r, key);
    return json_is_integer(v) ? json_integer_value(v) : otherwise;
}

static bool flag(json_t *r, const char *key)
{
    return json_is_true(json_object_get(r, key));
}

/* Each option the request carries, in libnats' terms; the first refusal is returned. */
static natsStatus configure(natsOptions *o, json_t *r, bool *retry)
{
    natsStatus s = natsOptions_SetURL(o, str(r, "url"));
    if (s == NATS_OK && str(r, "name") != NULL)
        s = natsOptions_SetName(o, str(r, "name"));
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(o, num(r, "connect_timeout_ms", 2000));
    if (s == NATS_OK)
        s = natsOptions_SetErrorHandler(o, on_error, NULL);
    if (s == NATS_OK)
        s = natsOptions_SetDisconnectedCB(o, on_disconnected, NULL);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectedCB(o, on_reconnected, NULL);
    if (s == NATS_OK)
        s = natsOptions_SetClosedCB(o, on_closed, NULL);
    /* Without `max_reconnects` every library reconnects without limit (-1 in libnats). */
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(o, (int)num(r, "max_reconnects", -1));
    if (s == NATS_OK && str(r, "user") != NULL)
        s = natsOptions_SetUserInfo(o, str(r, "user"), str(r, "password") != NULL ? str(r, "password") : "");
    if (s == NATS_OK && str(r, "token") != NULL)
        s = natsOptions_SetToken(o, str(r, "token"));
    if (s == NATS_OK && str(r, "creds_file") != NULL)
        s = natsOptions_SetUserCredentialsFromFiles(o, str(r, "creds_file"), NULL);
    if (s == NATS_OK && str(r, "nkey_seed") != NULL)
    {
        signing_seed = strdup(str(r, "nkey_seed"));
        s = natsOptions_SetNKey(o, str(r, "nkey_public"), sign_nonce, NULL);
    }
    if (s == NATS_OK && str(r, "jwt") != NULL && str(r, "jwt_seed") != NULL)
    {
        user_jwt = strdup(str(r, "jwt"));
        signing_seed = strdup(str(r, "jwt_seed"));
        s = natsOptions_SetUserCredentialsCallbacks(o, give_jwt, NULL, sign_nonce, NULL);
    }
    if (s == NATS_OK && json_is_integer(json_object_get(r, "ping_interval_ms")))
        s = natsOptions_SetPingInterval(o, num(r, "ping_interval_ms", 0));
    if (s == NATS_OK && json_is_integer(json_object_get(r, "reconnect_delay_ms")))
        s = natsOptions_SetReconnectWait(o, num(r, "reconnect_delay_ms", 0));
    *retry = flag(r, "retry_on_initial_connect");
    if (s == NATS_OK && *retry)
        s = natsOptions_SetRetryOnFailedConnect(o, true, on_connected, NULL);
    if (s == NATS_OK && str(r, "inbox_prefix") != NULL)
        s = natsOptions_SetCustomInboxPrefix(o, str(r, "inbox_prefix"));
    if (s == NATS_OK && str(r, "tls_ca") != NULL)
        s = natsOptions_LoadCATrustedCertificates(o, str(r, "tls_ca"));
    if (s == NATS_OK && str(r, "tls_cert") != NULL && str(r, "tls_key") != NULL)
        s = natsOptions_LoadCertificatesChain(o, str(r, "tls_cert"), str(r, "tls_key"));
    /* As nats.go's RootCAs and nats-py's ssl context: TLS files mean a TLS connection. */
    if (s == NATS_OK && (flag(r, "tls_required") || str(r, "tls_ca") != NULL || str(r, "tls_cert") != NULL))
        s = natsOptions_SetSecure(o, true);
    return s;
}

static json_t *fail(natsStatus s)
{
    return json_pack("{s:b, s:o}", "ok", 0, "error", error_of(s));
}

static json_t *refuse(const char *kind, const char *message)
{
    return json_pack("{s:b, s:{s:s, s:s}}", "ok", 0, "error", "kind", kind, "message", message);
}

static json_t *ok(void)
{
    return json_pack("{s:b}", "ok", 1);
}

static json_t *do_connect(driver *d, json_t *r)
{
    if (d->nc != NULL)
        return refuse("unsupported", "already connected: one connection per driver");
    if (flag(r, "tls_first"))
    {
        char why[128];
        snprintf(why, sizeof why, "nats.c %s has no TLS handshake first option", nats_GetVersion());
        return refuse("unsupported", why);
    }
    d->request_timeout_ms = num(r, "request_timeout_ms", 1000);
    natsOptions *o = NULL;
    bool retry = false;
    natsStatus s = natsOptions_Create(&o);
    if (s == NATS_OK)
        s = configure(o, r, &retry);
    if (s == NATS_OK)
        s = natsConnection_Connect(&d->nc, o);
    natsOptions_Destroy(o);
    /* With a connected callback, a refused first connect is retried in the background. */
    if (s == NATS_NOT_YET_CONNECTED && retry)
        return ok();
    if (s != NATS_OK)
    {
        d->nc = NULL;
        return fail(s);
    }
    on_event("connected");
    return ok();
}

static json_t *flushed(driver *d, natsStatus s)
{
    if (s == NATS_OK)
        s = natsConnection_FlushTimeout(d->nc, 2000);
    return s == NATS_OK ? ok() : fail(s);
}

static void on_message(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
    (void)nc, (void)sub;
    json_t *e = json_pack("{s:s, s:s, s:s}", "event", "message", "sub", (const char *)closure, "subject",
                          natsMsg_GetSubject(m));
    json_object_set_new(e, "payload", text_of(natsMsg_GetData(m), natsMsg_GetDataLength(m)));
    natsMsg_Destroy(m);
    emit(e);
}

static void on_request(natsConnection *nc, natsSubscription *sub, natsMsg *m, void *closure)
{
    (void)sub;
    const char *reply = natsMsg_GetReply(m);
    if (reply != NULL && reply[0] != '\0')
        natsConnection_PublishString(nc, reply, (const char *)closure);
    natsMsg_Destroy(m);
}

static natsStatus subscribe(driver *d, json_t *r, natsMsgHandler cb, void *closure)
{
    natsSubscription *sub = NULL;
    const char *queue = str(r, "queue");
    natsStatus s = queue != NULL && queue[0] != '\0'
                       ? natsConnection_QueueSubscribe(&sub, d->nc, str(r, "subject"), queue, cb, closure)
                       : natsConnection_Subscribe(&sub, d->nc, str(r, "subject"), cb, closure);
    /* The subscription lives as long as the connection; it is never destroyed. */
    return s;
}

static json_t *do_request(driver *d, json_t *r)
{
    natsMsg *reply = NULL;
    const char *payload = str(r, "payload") != NULL ? str(r, "payload") : "";
    natsStatus s = natsConnection_Request(&reply, d->nc, str(r, "subject"), payload, (int)strlen(payload),
                                          d->request_timeout_ms);
    if (s != NATS_OK)
        return fail(s);
    json_t *v = json_pack("{s:b, s:s}", "ok", 1, "subject", natsMsg_GetSubject(reply));
    json_object_set_new(v, "payload", text_of(natsMsg_GetData(reply), natsMsg_GetDataLength(reply)));
    natsMsg_Destroy(reply);
    return v;
}

static json_t *do_close(driver *d)
{
    if (d->nc == NULL)
        return ok();
    natsConnection_Close(d->nc);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_mutex_lock(&closed_lock);
    while (!closed_seen && pthread_cond_timedwait(&closed_cond, &closed_lock, &until) == 0)
        ;
    pthread_mutex_unlock(&closed_lock);
    return ok();
}

static json_t *handle(driver *d, json_t *r, const char *op)
{
    if (strcmp(op, "connect") == 0)
        return do_connect(d, r);
    if (d->nc == NULL)
        return refuse("unsupported", "not connected");
    const char *payload = str(r, "payload") != NULL ? str(r, "payload") : "";
    if (strcmp(op, "publish") == 0)
        return flushed(d, natsConnection_PublishString(d->nc, str(r, "subject"), payload));
    if (strcmp(op, "subscribe") == 0)
        return flushed(d, subscribe(d, r, on_message, strdup(str(r, "subject"))));
    if (strcmp(op, "respond") == 0)
        return flushed(d, subscribe(d, r, on_request, strdup(payload)));
    if (strcmp(op, "request") == 0)
        return do_request(d, r);
    if (strcmp(op, "flush") == 0)
        return flushed(d, NATS_OK);
    if (strcmp(op, "close") == 0)
        return do_close(d);
    char why[160];
    snprintf(why, sizeof why, "unknown op %.100s", op);
    return refuse("unsupported", why);
}

/* Leaves at once, with everything written: libnats' threads are not waited for. */
static void leave(int status)
{
    pthread_mutex_lock(&out_lock);
    fflush(stdout);
    _exit(status);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    emit(json_pack("{s:s, s:s, s:s}", "event", "hello", "library", "nats.c", "version", nats_GetVersion()));
    driver d = {NULL, 1000};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0)
    {
        json_error_t err;
        json_t *r = json_loadb(line, (size_t)n, JSON_DISABLE_EOF_CHECK, &err);
        if (r == NULL)
        {
            bool blank = strspn(line, " \t\r\n") == (size_t)n;
            if (!blank)
            {
                /* The line is not quoted back: it may carry a secret. */
                char why[96];
                snprintf(why, sizeof why, "not a JSON line (column %d)", err.column);
                emit(json_pack("{s:n, s:b, s:{s:s, s:s}}", "id", "ok", 0, "error", "kind", "json", "message", why));
            }
            continue;
        }
        const char *op = str(r, "op") != NULL ? str(r, "op") : "";
        json_t *answer = handle(&d, r, op);
        json_t *id = json_object_get(r, "id");
        json_object_set_new(answer, "id", id != NULL ? json_incref(id) : json_null());
        bool closing = strcmp(op, "close") == 0;
        json_decref(r);
        emit(answer);
        if (closing)
            leave(0);
    }
    leave(0);
}
