"""The migration check of issue 14: seed a real Unleash, compare two servers, Unleash's baseline."""
