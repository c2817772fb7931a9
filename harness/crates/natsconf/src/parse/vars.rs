//! `$NAME` lookups: keys of the maps being parsed (innermost first, exact case), then the
//! environment, whose value is parsed as a nats.conf value. `$2a$...` is a bcrypt hash, not a
//! variable.

use super::state::FileParser;
use crate::config::{Origin, SourceFile};
use crate::error::{ConfError, ConfErrorKind};
use crate::location::Pos;
use crate::value::{Node, Value, VarRef, VarSource};

impl FileParser<'_, '_, '_> {
    /// Resolves `$name` found at `at`.
    pub(super) fn variable(&mut self, name: &str, at: Pos) -> Result<Node, ConfError> {
        if name.starts_with("2a$") {
            return Ok(Node { value: Value::String(format!("${name}")), at });
        }
        let found = self
            .scopes
            .iter()
            .rev()
            .find_map(|scope| scope.iter().rev().find(|b| b.key == name))
            .map(|b| (b.key_at, b.value.clone()));
        if let Some((defined_at, value)) = found {
            self.shared.used_defs.insert(defined_at);
            let var =
                VarRef { name: name.to_string(), source: VarSource::Config { defined_at }, value: Box::new(value) };
            return Ok(Node { value: Value::Variable(var), at });
        }
        if self.shared.env_stack.iter().any(|n| n == name) {
            return Err(self.err(at, ConfErrorKind::VariableCycle { name: name.to_string() }));
        }
        let Some(text) = self.shared.options.env.get(name) else {
            if let Some(version) = bcrypt_version(name) {
                return Err(self.err(at, ConfErrorKind::UnquotedBcrypt { prefix: format!("${version}$") }));
            }
            return Err(self.err(at, ConfErrorKind::UndefinedVariable { name: name.to_string() }));
        };
        let value = self.env_value(name, &text, at)?;
        let var = VarRef { name: name.to_string(), source: VarSource::Environment, value: Box::new(value) };
        Ok(Node { value: Value::Variable(var), at })
    }

    /// Parses an environment variable's text as nats-server does: as the value in `pk=<text>`.
    fn env_value(&mut self, name: &str, text: &str, at: Pos) -> Result<Node, ConfError> {
        let file = self
            .shared
            .add_file(SourceFile { path: format!("${name}").into(), origin: Origin::Env { name: name.to_string() } });
        let doc = format!("pk={text}");
        self.shared.env_stack.push(name.to_string());
        let parsed = {
            let mut sub = FileParser::new(&doc, file, self.dir.clone(), &mut *self.shared);
            sub.depth = self.depth;
            sub.check_nul().and_then(|()| sub.parse_document())
        };
        self.shared.env_stack.pop();
        match parsed {
            Ok(map) => Ok(map
                .get("pk")
                .map(|pair| pair.value.clone())
                .unwrap_or(Node { value: Value::String(String::new()), at })),
            Err(e) => match e.kind {
                kind @ (ConfErrorKind::UndefinedVariable { .. } | ConfErrorKind::VariableCycle { .. }) => {
                    Err(self.err(at, kind))
                }
                _ => Err(self.err(
                    at,
                    ConfErrorKind::EnvVariableInvalid {
                        name: name.to_string(),
                        column: if e.line == 1 { e.column.saturating_sub(3) } else { e.column },
                    },
                )),
            },
        }
    }
}

/// `2b` for a name such as `2b$11$...` (a bcrypt hash written without quotes).
fn bcrypt_version(name: &str) -> Option<&str> {
    let (version, rest) = name.split_once('$')?;
    let is_version =
        version.len() == 2 && version.starts_with('2') && version.ends_with(|c: char| c.is_ascii_lowercase());
    (is_version && rest.len() > 20).then_some(version)
}
