package io.streamcontrol.cassandra; final class Placeholder {}
