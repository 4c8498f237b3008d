"""The kernels behind patients' pages: a place for each, a limit on places, and clear endings.

Each page has its own kernel; a kernel holds a patient's answers. This kernel manager keeps
Voilà's preheated pool and adds what a clinic floor needs:

- **Places.** Every kernel, of an open page or waiting in the pool, holds one of at most
  `max_kernels` places. The pool is refilled only into free places; a page that finds
  neither a pooled kernel nor a free place is told the workbook is busy (`WorkbookFull`).
- **No restarts under a page.** A kernel that dies is not restarted empty under its page (the
  restarter's limit is 0, see `workbook.serving.app`): it is removed, and the page shows that it
  has ended.
- **Pages that come and go**: a claim time for a page to open its channel, a page that must
  be heard, a kernel that must answer, and culling counted from the disconnect
  (`workbook.serving.page_watch`).
- **Places per address.** One client address holds at most `places_per_address` pages'
  kernels; past it, that address is told the workbook is busy, and others are not.
- **An owner for each page's kernel**: the secret of the browser its page was rendered for
  (`workbook.serving.guard`); only that browser reaches the kernel.
- **One log line per ending**, with the kernel id and the reason, and no patient data.
- **A route tag** at the start of every kernel id, so that nginx in front of several servers
  sends a kernel's requests to the server that holds it (`workbook.serving.proxy`).
"""

from __future__ import annotations

import asyncio
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Int, Unicode, validate

from workbook.serving.guard import rendering_for, rendering_from
from workbook.serving.page_watch import PageWatch
from workbook.serving.settings import SETTINGS

# The page being rendered now, while it counts among its address's places (`page_for`).
_arriving_ticket: ContextVar[object | None] = ContextVar("arriving_ticket", default=None)


class WorkbookFull(Exception):
    """Every place is taken: no kernel can be started for another page."""


class WorkbookKernelManager(PageWatch, AsyncMappingKernelManager):
    """Voilà's kernel manager (it subclasses this one) with places, reasons and pool limits."""

    # 0 for the two limits: no limit (the command line works out each one's default).
    max_kernels = SETTINGS["max_patients"].trait(Int, 0)
    claim_seconds = SETTINGS["claim_seconds"].trait(Int)
    places_per_address = SETTINGS["places_per_address"].trait(Int, 0)
    answer_seconds = SETTINGS["answer_seconds"].trait(Int)

    route_tag = Unicode(
        "", config=True,
        help="8 hex digits that begin every kernel id, so a proxy in front of several "
        "servers sends a kernel's requests to this one (workbook.serving.proxy_site.route_tag).",
    )

    @validate("route_tag")
    def _check_route_tag(self, proposal):
        value = proposal["value"]
        if value and not (len(value) == 8 and all(c in "0123456789abcdef" for c in value)):
            raise ValueError(f"route_tag must be 8 lower-case hex digits, not {value!r}")
        return value

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # What holds a place: a kernel id once its kernel is starting, or a pool task that
        # will start one. Its size is the number of places in use.
        self._places: set[object] = set()
        self._end_reasons: dict[str, str] = {}
        self._owners: dict[str, str] = {}
        # Pages' kernels: the client address each was handed to, when it was handed to a page
        # whose channel has not opened yet, and when its page was last heard.
        self._addresses: dict[str, str] = {}
        # Pages being rendered and not yet given a kernel, by client address.
        self._arriving: dict[str, set[object]] = {}
        self._stopping = False
        # Voilà's preheating subclass defines these; its constructor fills the pool next.
        if hasattr(self, "fill_if_needed"):
            self._fill_pool = self.fill_if_needed
            self.fill_if_needed = self._fill_pool_within_limit
        if hasattr(self, "get_rendered_notebook"):
            self._take_from_pool = self.get_rendered_notebook
            self.get_rendered_notebook = self._hand_out_from_pool

    # ---- places ------------------------------------------------------------------------

    @property
    def places_in_use(self) -> int:
        """Kernels running or starting, and pool tasks that will start one."""
        return len(self._places)

    def free_places(self) -> int:
        """Places left for new kernels; a large number when there is no limit."""
        if self.max_kernels <= 0:
            return 1 << 30
        return max(self.max_kernels - len(self._places), 0)

    def pooled(self) -> int:
        """Kernels in the preheated pool (ready or starting) that a new page can take."""
        pools = getattr(self, "_pools", {})
        return sum(len(pool) for pool in pools.values())

    def make_room_for_a_page(self) -> bool:
        """Make sure a new page can have a kernel: from the pool, or by starting one into it.

        Returns:
            False when every place is taken and the pool is empty: the workbook is busy.
        """
        if not hasattr(self, "fill_if_needed"):  # no pool: the page starts its own kernel
            return self.free_places() > 0
        if self.pooled() == 0 and self.free_places() > 0:
            self.fill_if_needed(delay=0, notebook_name=self.notebook_path)
        return self.pooled() > 0

    def _fill_pool_within_limit(self, delay=None, notebook_name=None, **kwargs) -> None:
        """Voilà's pool refill, filling only free places; every new pool task holds one."""
        config = self.kernel_pools_config
        default = config.get("default", {})
        pool = self._pools.get(notebook_name, [])
        before = set(pool)
        wanted = default.get("pool_size", 1)
        target = min(wanted, len(pool) + self.free_places())
        self.kernel_pools_config = {**config, "default": {**default, "pool_size": target}}
        try:
            self._fill_pool(delay=delay, notebook_name=notebook_name, **kwargs)
        finally:
            self.kernel_pools_config = config
        for task in self._pools.get(notebook_name, []):
            if task not in before:
                self._places.add(task)
                task.add_done_callback(self._pool_task_done)

    def _pool_task_done(self, task: asyncio.Task) -> None:
        # A pool task that ended without starting a kernel gives its place back.
        if task in self._places:
            self._places.discard(task)
            self._refill_soon()

    async def _hand_out_from_pool(self, *args, **kwargs):
        """Voilà's hand-out of a pooled kernel to a page, which counts as active from then on.

        Voilà keeps pooled kernels from being culled, but once one is handed to a page, its
        last activity is still the time it was preheated. When the pool had waited longer
        than the cull time (a quiet hour in clinic), the culler could end the kernel in the
        seconds before the page connected to it, and the page never became ready.
        """
        render_task, rendered_cache, kernel_id = await self._take_from_pool(*args, **kwargs)
        self._bind_to_page(kernel_id)
        if kernel_id in self:  # one that has died is Voilà's to handle, as before
            self.get_kernel(kernel_id).last_activity = datetime.now(timezone.utc)
        return render_task, rendered_cache, kernel_id

    def _bind_to_page(self, kernel_id: str) -> None:
        secret = rendering_for.get()
        if secret is not None:
            self._owners[kernel_id] = secret
            self._claimed_from(kernel_id)
        address = rendering_from.get()
        if address is not None:
            self._addresses[kernel_id] = address
            self._arrived(address, _arriving_ticket.get())

    def places_held_by(self, address: str) -> int:
        """The pages' kernels handed to this client address and not yet ended, and its pages
        being rendered now (each will take one)."""
        held = sum(1 for kept in self._addresses.values() if kept == address)
        return held + len(self._arriving.get(address, ()))

    @contextmanager
    def page_for(self, address: str):
        """While a page for this client address is rendered, it counts as one of its places,
        until its kernel is bound to it."""
        ticket = object()
        self._arriving.setdefault(address, set()).add(ticket)
        arriving = _arriving_ticket.set(ticket)
        try:
            yield
        finally:
            _arriving_ticket.reset(arriving)
            self._arrived(address, ticket)

    def _arrived(self, address: str, ticket: object) -> None:
        waiting = self._arriving.get(address, set())
        waiting.discard(ticket)
        if not waiting:
            self._arriving.pop(address, None)

    def address_is_full(self, address: str) -> bool:
        """Whether this client address holds as many pages' kernels as one address may."""
        return 0 < self.places_per_address <= self.places_held_by(address)

    def owner_of(self, kernel_id: str | None) -> str | None:
        """The secret of the browser whose page this kernel serves; None for no such page."""
        return self._owners.get(kernel_id) if kernel_id is not None else None

    def _refill_soon(self) -> None:
        if not self._stopping and hasattr(self, "fill_if_needed") and getattr(self, "notebook_path", None):
            self.fill_if_needed(notebook_name=self.notebook_path)

    # ---- starting and ending -------------------------------------------------------------

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs) -> str:
        """Start a kernel in a place: the one its pool task holds, or a free one.

        Raises:
            WorkbookFull: a page's own start (not the pool's) found no free place.
        """
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        kernel_id = kernel_id or self.new_kernel_id()
        task = asyncio.current_task()
        pooled = task in self._places  # a pool task starting the kernel it holds a place for
        if pooled:
            self._places.discard(task)
        elif self.free_places() <= 0:
            self.log.warning("workbook: no kernel started: all %d places are taken", self.max_kernels)
            raise WorkbookFull
        self._places.add(kernel_id)
        try:
            started = await super().start_kernel(kernel_id=kernel_id, **kwargs)
        except BaseException:
            self._places.discard(kernel_id)
            raise
        if not pooled:  # a page's own kernel; a pooled one gets its page when handed out
            self._bind_to_page(started)
        self.log.info("workbook: kernel %s started (%s places in use)", started, self._places_text())
        return started

    def new_kernel_id(self, **kwargs) -> str:
        """A random id (uuid4) that begins with this server's route tag, if it has one."""
        kernel_id = str(uuid.uuid4())
        return self.route_tag + kernel_id[8:] if self.route_tag else kernel_id

    def _places_text(self) -> str:
        limit = f" of {self.max_kernels}" if self.max_kernels > 0 else ""
        return f"{len(self._places)}{limit}"

    def remove_kernel(self, kernel_id: str):
        """Forget a kernel that has ended, log why, and give its place to the pool."""
        removed = super().remove_kernel(kernel_id)
        reason = self._end_reasons.pop(kernel_id, "its page closed it")
        for kept in (self._owners, self._addresses):
            kept.pop(kernel_id, None)
        self._forget_page(kernel_id)
        if kernel_id in self._places:
            self._places.discard(kernel_id)
            self.log.info("workbook: kernel %s ended: %s (%s places in use)", kernel_id, reason, self._places_text())
            self._refill_soon()
        return removed

    def _handle_kernel_died(self, kernel_id: str) -> None:
        self._end_reasons[kernel_id] = "its process died; it is not restarted under its page"
        if kernel_id in self:  # its connection file (with its key) would outlive it otherwise
            self.get_kernel(kernel_id).cleanup_connection_file()
        super()._handle_kernel_died(kernel_id)

    async def shutdown_all(self, now: bool = False) -> None:
        self._stopping = True  # no pool refill while the server stops
        for kernel_id in self.list_kernel_ids():  # a kernel already being ended keeps its reason
            self._end_reasons.setdefault(kernel_id, "the server is stopping")
        await super().shutdown_all(now=now)
