// JetStream, key-value and object store steps through nats.go's JetStreamContext (the `js` op of
// harness/drivers/README.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// The library's exported JetStream errors, tried after the connection's own (`named`).
var namedJS = []struct {
	name string
	err  error
}{
	// A JetStream API request that timed out: nats.go 1.22.1 makes it with a context.
	{"context.DeadlineExceeded", context.DeadlineExceeded},
	{"nats.ErrJetStreamNotEnabledForAccount", nats.ErrJetStreamNotEnabledForAccount},
	{"nats.ErrJetStreamNotEnabled", nats.ErrJetStreamNotEnabled},
	{"nats.ErrStreamNotFound", nats.ErrStreamNotFound},
	{"nats.ErrStreamNameAlreadyInUse", nats.ErrStreamNameAlreadyInUse},
	{"nats.ErrConsumerNotFound", nats.ErrConsumerNotFound},
	{"nats.ErrConsumerNameAlreadyInUse", nats.ErrConsumerNameAlreadyInUse},
	{"nats.ErrMsgNotFound", nats.ErrMsgNotFound},
	{"nats.ErrBadRequest", nats.ErrBadRequest},
	{"nats.ErrNoStreamResponse", nats.ErrNoStreamResponse},
	{"nats.ErrBucketNotFound", nats.ErrBucketNotFound},
	{"nats.ErrKeyNotFound", nats.ErrKeyNotFound},
	{"nats.ErrObjectNotFound", nats.ErrObjectNotFound},
}

// apiError is the JetStream API error inside err, as nats.go exposes it (`JetStreamError`), if any.
func apiError(err error) map[string]interface{} {
	var je nats.JetStreamError
	if !errors.As(err, &je) || je.APIError() == nil {
		return nil
	}
	a := je.APIError()
	return map[string]interface{}{"code": a.Code, "err_code": uint16(a.ErrorCode), "description": a.Description}
}

// The JetStream handles kept between steps, as an application keeps them.
type jsState struct {
	pulls   map[string]*nats.Subscription
	kvs     map[string]nats.KeyValue
	objs    map[string]nats.ObjectStore
	watches map[string]nats.KeyWatcher
	unacked []*nats.Msg
}

func newJSState() *jsState {
	return &jsState{
		pulls:   map[string]*nats.Subscription{},
		kvs:     map[string]nats.KeyValue{},
		objs:    map[string]nats.ObjectStore{},
		watches: map[string]nats.KeyWatcher{},
	}
}

func received(subject string, data []byte) map[string]interface{} {
	return map[string]interface{}{"subject": subject, "payload": string(data)}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func (d *driver) js(r *request) (map[string]interface{}, error) {
	opts := []nats.JSOpt{nats.MaxWait(ms(r.TimeoutMs))}
	if r.Domain != nil {
		opts = append(opts, nats.Domain(*r.Domain))
	}
	js, err := d.nc.JetStream(opts...)
	if err != nil {
		return nil, err
	}
	storage := nats.MemoryStorage
	if r.Storage == "file" {
		storage = nats.FileStorage
	}
	within := ms(r.WithinMs)
	stream, consumer, bucket, key := str(r.Stream), str(r.Consumer), str(r.Bucket), str(r.Key)
	none := map[string]interface{}{}
	switch r.Action {
	case "js-account-info":
		a, err := js.AccountInfo()
		if err != nil {
			return nil, err
		}
		var domain interface{}
		if a.Domain != "" {
			domain = a.Domain
		}
		b, _ := json.Marshal(map[string]interface{}{
			"consumers": a.Consumers, "domain": domain, "memory": a.Memory, "storage": a.Store, "streams": a.Streams,
		})
		prefix := "$JS.API"
		if r.Domain != nil {
			prefix = "$JS." + *r.Domain + ".API"
		}
		return received(prefix+".INFO", b), nil
	case "js-add-stream", "js-update-stream":
		cfg := &nats.StreamConfig{Name: stream, Subjects: r.Subjects, Storage: storage}
		if r.Action == "js-add-stream" {
			_, err = js.AddStream(cfg)
		} else {
			_, err = js.UpdateStream(cfg)
		}
		return none, err
	case "js-delete-stream":
		return none, js.DeleteStream(stream)
	case "js-add-consumer":
		cfg := &nats.ConsumerConfig{AckPolicy: nats.AckExplicitPolicy, FilterSubject: str(r.Filter), DeliverSubject: str(r.DeliverSubject)}
		if r.Ephemeral {
			cfg.Name = consumer
		} else {
			cfg.Durable = consumer
		}
		_, err = js.AddConsumer(stream, cfg)
		return none, err
	case "js-publish":
		_, err = js.Publish(r.Subject, []byte(r.Payload))
		return none, err
	case "js-fetch", "js-next":
		id := stream + "." + consumer
		sub, ok := d.jsState.pulls[id]
		if !ok {
			sub, err = js.PullSubscribe("", consumer, nats.Bind(stream, consumer))
			if err != nil {
				return nil, err
			}
			d.jsState.pulls[id] = sub
		}
		batch := 1
		if r.Action == "js-fetch" && r.Batch > 0 {
			batch = r.Batch
		}
		msgs, err := sub.Fetch(batch, nats.MaxWait(within))
		if err != nil {
			return nil, err
		}
		d.jsState.unacked = append(d.jsState.unacked, msgs...)
		last := msgs[len(msgs)-1]
		return received(last.Subject, last.Data), nil
	case "js-ack":
		for len(d.jsState.unacked) > 0 {
			m := d.jsState.unacked[0]
			d.jsState.unacked = d.jsState.unacked[1:]
			if err := m.Ack(); err != nil {
				return nil, err
			}
		}
		return none, nil
	case "kv-create":
		kv, err := js.CreateKeyValue(&nats.KeyValueConfig{Bucket: bucket, Storage: storage})
		if err != nil {
			return nil, err
		}
		d.jsState.kvs[fmt.Sprintf("%s@%dms", bucket, r.TimeoutMs)] = kv
		return none, nil
	case "kv-put", "kv-get", "kv-delete", "kv-watch":
		id := fmt.Sprintf("%s@%dms", bucket, r.TimeoutMs)
		kv, ok := d.jsState.kvs[id]
		if !ok {
			kv, err = js.KeyValue(bucket)
			if err != nil {
				return nil, err
			}
			d.jsState.kvs[id] = kv
		}
		switch r.Action {
		case "kv-put":
			_, err = kv.Put(key, []byte(r.Payload))
			return none, err
		case "kv-get":
			e, err := kv.Get(key)
			if err != nil {
				return nil, err
			}
			return received(e.Key(), e.Value()), nil
		case "kv-delete":
			return none, kv.Delete(key)
		}
		wid := bucket + "." + key
		w, ok := d.jsState.watches[wid]
		if !ok {
			w, err = kv.Watch(key)
			if err != nil {
				return nil, err
			}
			d.jsState.watches[wid] = w
		}
		// The key's current value, else the next update; nil marks the end of the current values.
		deadline := time.After(within)
		for {
			select {
			case e, open := <-w.Updates():
				if !open {
					return nil, errors.New("nats: the watch ended")
				}
				if e != nil {
					return received(e.Key(), e.Value()), nil
				}
			case <-deadline:
				return nil, nats.ErrTimeout
			}
		}
	case "obj-create":
		obs, err := js.CreateObjectStore(&nats.ObjectStoreConfig{Bucket: bucket, Storage: storage})
		if err != nil {
			return nil, err
		}
		d.jsState.objs[bucket] = obs
		return none, nil
	case "obj-put", "obj-get":
		obs, ok := d.jsState.objs[bucket]
		if !ok {
			obs, err = js.ObjectStore(bucket)
			if err != nil {
				return nil, err
			}
			d.jsState.objs[bucket] = obs
		}
		if r.Action == "obj-put" {
			_, err = obs.PutBytes(key, []byte(r.Payload))
			return none, err
		}
		b, err := obs.GetBytes(key)
		if err != nil {
			return nil, err
		}
		return received(key, b), nil
	}
	return nil, fmt.Errorf("the nats.go driver cannot play %q", r.Action)
}
