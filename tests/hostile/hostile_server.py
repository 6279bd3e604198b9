"""A server on loopback that answers like a broken or hostile Magic Hour API.

It speaks raw HTTP/1.1 over a socket (no framework that would tidy up its
answers), so it can send what a real server should never send: JSON nested
100,000 deep, a 200 MB answer with or without a Content-Length, an answer
that trickles a byte at a time, an HTML page with status 200, redirects to
file:// or in a loop, download links that are not web addresses, and
thousands of download links.

One mode per server. Every loop it runs is bounded in bytes and in time, and
it stops when the client goes away, so a test can never hang on it. It binds
127.0.0.1 only.
"""
import json
import socket
import threading
import time

MB = 1024 * 1024

# What each mode does to the project answer (GET /v1/*-projects/ID).
ANSWER_MODES = (
    'deep',              # [[[[... 100,000 deep
    'huge',              # 200 MB with a Content-Length
    'chunked-huge',      # 200 MB, chunked, no Content-Length
    'trickle',           # a byte every TRICKLE_INTERVAL seconds, never done
    'not-json',          # an HTML page with status 200
    'redirect-file',     # 302 to file:///etc/passwd
    'redirect-loop',     # 302 to itself, for ever
    '404-huge',          # 404, with 200 MB of body
    '404-trickle',       # 404, its body a byte at a time
)
# Modes whose project answer is fine, but whose download links are not.
DOWNLOAD_MODES = (
    'download-file-url',   # downloads: [file:///etc/passwd]
    'download-ftp-url',    # downloads: [ftp://127.0.0.1/x.png]
    'thousands',           # 10,000 download links, all named result.png
)
MODES = ANSWER_MODES + DOWNLOAD_MODES

TRICKLE_INTERVAL = 0.2
# No loop runs longer than this, whatever the client does.
MAX_SECONDS = 240
PROJECT_ID = 'hostile-project-1'
PNG = (b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01'
       b'\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff'
       b'\xff?\x00\x05\xfe\x02\xfe\xa7V\x8d\xa5\x00\x00\x00\x00IEND\xaeB`\x82')


class HostileServer:
    def __init__(self, mode):
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self.requests = []          # (method, path), in the order received
        self.bytes_sent = 0
        self._lock = threading.Lock()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(('127.0.0.1', 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.base_url = f'http://127.0.0.1:{self.port}'
        self._stopping = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    # -- lifetime ------------------------------------------------------------
    def close(self):
        self._stopping.set()
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _expired(self):
        return self._stopping.is_set() or time.monotonic() - self._started > MAX_SECONDS

    def _serve(self):
        while not self._expired():
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    # -- one connection ------------------------------------------------------
    def _handle(self, conn):
        conn.settimeout(5)
        try:
            with conn:
                reader = conn.makefile('rb')
                while not self._expired():
                    request = self._read_request(reader)
                    if request is None:
                        return
                    method, path = request
                    with self._lock:
                        self.requests.append((method, path))
                    if not self._answer(conn, method, path):
                        return
        except (OSError, ValueError):
            return

    @staticmethod
    def _read_request(reader):
        line = reader.readline(8192)
        if not line:
            return None
        parts = line.decode('latin-1').split()
        if len(parts) < 2:
            return None
        length = 0
        while True:
            header = reader.readline(8192)
            if header in (b'\r\n', b'\n', b''):
                break
            name, _, value = header.decode('latin-1').partition(':')
            if name.strip().lower() == 'content-length':
                length = int(value.strip())
        # Bodies are small here (a create); uploads are not part of it.
        if length:
            reader.read(min(length, MB))
        return parts[0], parts[1]

    def _send(self, conn, data):
        conn.sendall(data)
        self.bytes_sent += len(data)

    def _send_answer(self, conn, status, body, content_type='application/json', extra=()):
        reason = {200: 'OK', 302: 'Found', 404: 'Not Found'}.get(status, 'Status')
        head = [f'HTTP/1.1 {status} {reason}', f'Content-Type: {content_type}',
                f'Content-Length: {len(body)}', *extra, '', '']
        self._send(conn, '\r\n'.join(head).encode() + body)

    def _json(self, conn, status, value):
        self._send_answer(conn, status, json.dumps(value).encode())

    def _project(self, downloads):
        return {
            'id': PROJECT_ID, 'name': None, 'status': 'complete', 'type': 'AI_HEADSHOT',
            'created_at': '2026-12-01T10:00:00Z', 'image_count': 1, 'enabled': True,
            'credits_charged': 50, 'total_frame_cost': 50, 'error': None,
            'downloads': [{'url': url, 'expires_at': '2026-12-31T00:00:00Z'} for url in downloads],
        }

    def _answer(self, conn, method, path):
        """Answers one request; False when the connection is done with."""
        if method == 'POST' and path == '/v1/ai-headshot-generator':
            self._json(conn, 200, {'id': PROJECT_ID, 'credits_charged': 50, 'frame_cost': 50})
            return True
        if path.startswith('/file/'):
            self._send_answer(conn, 200, PNG, 'image/png')
            return True
        if method == 'GET' and path.startswith(('/v1/video-projects/', '/v1/image-projects/')):
            if path.startswith('/v1/video-projects/') and self.mode in DOWNLOAD_MODES:
                self._json(conn, 404, {'message': 'Not found'})
                return True
            return self._project_answer(conn, path)
        self._json(conn, 404, {'message': 'Not found'})
        return True

    def _project_answer(self, conn, path):
        mode = self.mode
        if mode == 'deep':
            depth = 100_000
            self._send_answer(conn, 200, b'[' * depth + b']' * depth)
        elif mode == 'huge':
            self._stream(conn, chunked=False)
            return False
        elif mode == 'chunked-huge':
            self._stream(conn, chunked=True)
            return False
        elif mode == 'trickle':
            self._trickle(conn)
            return False
        elif mode == 'not-json':
            self._send_answer(conn, 200, b'<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>',
                              'text/html')
        elif mode == 'redirect-file':
            self._send_answer(conn, 302, b'', extra=('Location: file:///etc/passwd',))
        elif mode == '404-huge':
            self._stream(conn, chunked=False, status='404 Not Found')
            return False
        elif mode == '404-trickle':
            self._trickle(conn, status='404 Not Found')
            return False
        elif mode == 'redirect-loop':
            self._send_answer(conn, 302, b'', extra=(f'Location: {self.base_url}{path}',))
        elif mode == 'download-file-url':
            self._json(conn, 200, self._project(['file:///etc/passwd']))
        elif mode == 'download-ftp-url':
            self._json(conn, 200, self._project([f'ftp://127.0.0.1:{self.port}/result.png']))
        elif mode == 'thousands':
            self._json(conn, 200, self._project(
                [f'{self.base_url}/file/{i}/result.png' for i in range(10_000)]))
        return True

    def _stream(self, conn, chunked, status='200 OK'):
        total = 200 * MB
        piece = b'{"id":"' + b'a' * (64 * 1024 - 7)
        head = [f'HTTP/1.1 {status}', 'Content-Type: application/json']
        head.append('Transfer-Encoding: chunked' if chunked else f'Content-Length: {total}')
        self._send(conn, ('\r\n'.join(head) + '\r\n\r\n').encode())
        sent = 0
        while sent < total and not self._expired():
            data = piece[:total - sent]
            if chunked:
                data = f'{len(data):x}\r\n'.encode() + data + b'\r\n'
            self._send(conn, data)
            sent += len(piece)
        if chunked:
            self._send(conn, b'0\r\n\r\n')

    def _trickle(self, conn, status='200 OK'):
        body = json.dumps(self._project([])).encode() * 1000
        head = f'HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n'
        self._send(conn, head.encode())
        for byte in body:
            if self._expired():
                return
            self._send(conn, bytes([byte]))
            time.sleep(TRICKLE_INTERVAL)
