// natsfault's driver for nats.go: JSON lines on stdin (requests), JSON lines on stdout (answers
// and events). The protocol is described in harness/drivers/README.md. It exits when stdin closes.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

var out = struct {
	sync.Mutex
	w *bufio.Writer
}{w: bufio.NewWriter(os.Stdout)}

func emit(v map[string]interface{}) {
	b, _ := json.Marshal(v)
	out.Lock()
	defer out.Unlock()
	out.w.Write(b)
	out.w.WriteByte('\n')
	out.w.Flush()
}

// The library's exported errors, so an error is named as an application would test it.
var named = []struct {
	name string
	err  error
}{
	{"nats.ErrAuthorization", nats.ErrAuthorization},
	{"nats.ErrAuthExpired", nats.ErrAuthExpired},
	{"nats.ErrAuthRevoked", nats.ErrAuthRevoked},
	{"nats.ErrAccountAuthExpired", nats.ErrAccountAuthExpired},
	{"nats.ErrNoServers", nats.ErrNoServers},
	{"nats.ErrTimeout", nats.ErrTimeout},
	{"nats.ErrNoResponders", nats.ErrNoResponders},
	{"nats.ErrConnectionClosed", nats.ErrConnectionClosed},
	{"nats.ErrConnectionReconnecting", nats.ErrConnectionReconnecting},
	{"nats.ErrConnectionDraining", nats.ErrConnectionDraining},
	{"nats.ErrStaleConnection", nats.ErrStaleConnection},
	{"nats.ErrSecureConnRequired", nats.ErrSecureConnRequired},
	{"nats.ErrSecureConnWanted", nats.ErrSecureConnWanted},
	{"nats.ErrConnectionNotTLS", nats.ErrConnectionNotTLS},
	{"nats.ErrMaxConnectionsExceeded", nats.ErrMaxConnectionsExceeded},
	{"nats.ErrNoInfoReceived", nats.ErrNoInfoReceived},
	{"nats.ErrBadSubject", nats.ErrBadSubject},
	{"nats.ErrInvalidConnection", nats.ErrInvalidConnection},
	{"nats.ErrSlowConsumer", nats.ErrSlowConsumer},
	{"nats.ErrMaxPayload", nats.ErrMaxPayload},
	{"nats.ErrDisconnected", nats.ErrDisconnected},
}

func kindOf(err error) string {
	for _, n := range append(named, namedJS...) {
		if errors.Is(err, n.err) {
			return n.name
		}
	}
	// An error the library made with errors.New or fmt.Errorf on the spot: no variable to test.
	switch t := fmt.Sprintf("%T", err); t {
	case "*errors.errorString", "*fmt.wrapError":
		return "errors.New"
	default:
		return t
	}
}

func errLine(err error) map[string]interface{} {
	line := map[string]interface{}{"kind": kindOf(err), "message": err.Error()}
	if a := apiError(err); a != nil {
		line["api"] = a
	}
	return line
}

type request struct {
	ID      uint64 `json:"id"`
	Op      string `json:"op"`
	Subject string `json:"subject"`
	Payload string `json:"payload"`
	Queue   string `json:"queue"`

	URL              string  `json:"url"`
	Name             string  `json:"name"`
	User             *string `json:"user"`
	Password         *string `json:"password"`
	Token            *string `json:"token"`
	CredsFile        *string `json:"creds_file"`
	NkeySeed         *string `json:"nkey_seed"`
	JWT              *string `json:"jwt"`
	JWTSeed          *string `json:"jwt_seed"`
	ConnectTimeoutMs int64   `json:"connect_timeout_ms"`
	RequestTimeoutMs int64   `json:"request_timeout_ms"`
	PingIntervalMs   *int64  `json:"ping_interval_ms"`
	MaxReconnects    *int    `json:"max_reconnects"`
	ReconnectDelayMs *int64  `json:"reconnect_delay_ms"`
	RetryOnInitial   bool    `json:"retry_on_initial_connect"`
	InboxPrefix      *string `json:"inbox_prefix"`
	TLSCA            *string `json:"tls_ca"`
	TLSCert          *string `json:"tls_cert"`
	TLSKey           *string `json:"tls_key"`
	TLSRequired      bool    `json:"tls_required"`
	TLSFirst         bool    `json:"tls_first"`

	Action         string   `json:"action"`
	Domain         *string  `json:"domain"`
	TimeoutMs      int64    `json:"timeout_ms"`
	WithinMs       int64    `json:"within_ms"`
	Stream         *string  `json:"stream"`
	Subjects       []string `json:"subjects"`
	Storage        string   `json:"storage"`
	Consumer       *string  `json:"consumer"`
	Ephemeral      bool     `json:"ephemeral"`
	Filter         *string  `json:"filter"`
	DeliverSubject *string  `json:"deliver_subject"`
	Batch          int      `json:"batch"`
	Bucket         *string  `json:"bucket"`
	Key            *string  `json:"key"`
}

type driver struct {
	nc             *nats.Conn
	requestTimeout time.Duration
	jsState        *jsState
}

func ms(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

func (d *driver) connect(r *request) (map[string]interface{}, error) {
	opts := []nats.Option{
		nats.Name(r.Name),
		nats.Timeout(ms(r.ConnectTimeoutMs)),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			emit(map[string]interface{}{"event": "error", "kind": kindOf(err), "message": err.Error()})
		}),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			emit(map[string]interface{}{"event": "disconnected"})
		}),
		nats.ReconnectHandler(func(_ *nats.Conn) { emit(map[string]interface{}{"event": "reconnected"}) }),
		nats.ClosedHandler(func(_ *nats.Conn) { emit(map[string]interface{}{"event": "closed"}) }),
	}
	d.requestTimeout = ms(r.RequestTimeoutMs)
	if r.MaxReconnects == nil {
		opts = append(opts, nats.MaxReconnects(-1))
	} else {
		opts = append(opts, nats.MaxReconnects(*r.MaxReconnects))
	}
	if r.User != nil {
		p := ""
		if r.Password != nil {
			p = *r.Password
		}
		opts = append(opts, nats.UserInfo(*r.User, p))
	}
	if r.Token != nil {
		opts = append(opts, nats.Token(*r.Token))
	}
	if r.CredsFile != nil {
		opts = append(opts, nats.UserCredentials(*r.CredsFile))
	}
	if r.NkeySeed != nil {
		kp, err := nkeys.FromSeed([]byte(*r.NkeySeed))
		if err != nil {
			return nil, err
		}
		pub, _ := kp.PublicKey()
		opts = append(opts, nats.Nkey(pub, func(nonce []byte) ([]byte, error) { return kp.Sign(nonce) }))
	}
	if r.JWT != nil && r.JWTSeed != nil {
		opts = append(opts, nats.UserJWTAndSeed(*r.JWT, *r.JWTSeed))
	}
	if r.PingIntervalMs != nil {
		opts = append(opts, nats.PingInterval(ms(*r.PingIntervalMs)))
	}
	if r.ReconnectDelayMs != nil {
		opts = append(opts, nats.ReconnectWait(ms(*r.ReconnectDelayMs)))
	}
	if r.RetryOnInitial {
		opts = append(opts, nats.RetryOnFailedConnect(true))
	}
	if r.InboxPrefix != nil {
		opts = append(opts, nats.CustomInboxPrefix(*r.InboxPrefix))
	}
	if r.TLSCA != nil {
		opts = append(opts, nats.RootCAs(*r.TLSCA))
	}
	if r.TLSCert != nil && r.TLSKey != nil {
		opts = append(opts, nats.ClientCert(*r.TLSCert, *r.TLSKey))
	}
	if r.TLSRequired {
		opts = append(opts, nats.Secure())
	}
	if r.TLSFirst {
		return nil, errors.New("nats.go " + nats.Version + " has no TLSHandshakeFirst option")
	}
	nc, err := nats.Connect(r.URL, opts...)
	if err != nil {
		return nil, err
	}
	d.nc = nc
	emit(map[string]interface{}{"event": "connected"})
	return map[string]interface{}{}, nil
}

func (d *driver) handle(r *request) (map[string]interface{}, error) {
	if r.Op != "connect" && d.nc == nil {
		return nil, errors.New("not connected")
	}
	switch r.Op {
	case "connect":
		return d.connect(r)
	case "publish":
		if err := d.nc.Publish(r.Subject, []byte(r.Payload)); err != nil {
			return nil, err
		}
		return map[string]interface{}{}, d.nc.FlushTimeout(2 * time.Second)
	case "subscribe":
		sub := r.Subject
		_, err := d.nc.QueueSubscribe(sub, r.Queue, func(m *nats.Msg) {
			emit(map[string]interface{}{"event": "message", "sub": sub, "subject": m.Subject, "payload": string(m.Data)})
		})
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{}, d.nc.FlushTimeout(2 * time.Second)
	case "respond":
		payload := []byte(r.Payload)
		_, err := d.nc.QueueSubscribe(r.Subject, r.Queue, func(m *nats.Msg) {
			if m.Reply != "" {
				m.Respond(payload)
			}
		})
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{}, d.nc.FlushTimeout(2 * time.Second)
	case "request":
		m, err := d.nc.Request(r.Subject, []byte(r.Payload), d.requestTimeout)
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{"subject": m.Subject, "payload": string(m.Data)}, nil
	case "js":
		return d.js(r)
	case "flush":
		return map[string]interface{}{}, d.nc.FlushTimeout(2 * time.Second)
	case "close":
		d.nc.Close()
		return map[string]interface{}{}, nil
	}
	return nil, fmt.Errorf("unknown op %q", r.Op)
}

func main() {
	emit(map[string]interface{}{"event": "hello", "library": "nats.go", "version": nats.Version})
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	d := &driver{jsState: newJSState()}
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		var r request
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			emit(map[string]interface{}{"id": nil, "ok": false, "error": errLine(err)})
			continue
		}
		res, err := d.handle(&r)
		if err != nil {
			emit(map[string]interface{}{"id": r.ID, "ok": false, "error": errLine(err)})
		} else {
			res["id"] = r.ID
			res["ok"] = true
			emit(res)
		}
		if r.Op == "close" {
			return
		}
	}
}
