//! The billing service of a small shop: for every order on `orders.created` it publishes a
//! charge on `billing.charged`, and it answers `billing.status` requests.

use futures::StreamExt;

/// Runs the billing service on `client` until the subscription ends; returns how many orders it
/// charged.
///
/// A charge the server refuses (a permissions violation) does not fail `publish`: async-nats
/// reports it as a server error event, so the count here is what the service sent.
pub async fn run_billing(client: async_nats::Client) -> Result<usize, async_nats::Error> {
    let mut orders = client.subscribe("orders.created").await?;
    let mut status = client.subscribe("billing.status").await?;
    let mut charged = 0;
    loop {
        tokio::select! {
            Some(order) = orders.next() => {
                let charge = format!("charged:{}", String::from_utf8_lossy(&order.payload));
                client.publish("billing.charged", charge.into()).await?;
                client.flush().await?;
                charged += 1;
            }
            Some(req) = status.next() => {
                if let Some(reply) = req.reply {
                    client.publish(reply, format!("charged {charged}").into()).await?;
                }
            }
            else => return Ok(charged),
        }
    }
}
