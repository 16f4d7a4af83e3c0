#!/usr/bin/env python3
"""The readme's pictures (static/description/*.png), taken with headless Chromium.

Usage: serve a database with tickets (e.g. the one of tools/bench_network.py) on
port 8271 with the admin password "admin", then::

    pip install playwright   # only for this script; uses /usr/bin/chromium
    python3 tools/readme_screenshots.py static/description
"""

import asyncio
import sys

from playwright.async_api import async_playwright

BASE = "http://127.0.0.1:8271"
OUT = sys.argv[1]


async def main():
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = await browser.new_page(viewport={"width": 1400, "height": 820})
        await page.goto(f"{BASE}/web/login")
        await page.fill("input[name=login]", "admin")
        await page.fill("input[name=password]", "admin")
        await page.click("button[type=submit]")
        await page.wait_for_url("**/odoo**", timeout=120000)
        # the board
        await page.goto(f"{BASE}/odoo/action-isp_sales_desk.isp_sales_ticket_action")
        await page.wait_for_selector(".o_kanban_record", timeout=120000)
        await page.wait_for_timeout(1500)
        await page.screenshot(path=f"{OUT}/board.png")
        # the creation wizard
        await page.click(".o_isp_sales_desk_create_ticket")
        await page.wait_for_selector(
            ".modal .o_isp_sales_desk_map.leaflet-container", timeout=60000
        )
        await page.wait_for_timeout(1500)
        await page.screenshot(path=f"{OUT}/wizard.png")
        await page.keyboard.press("Escape")
        # the map, whole area: clusters
        await page.goto(
            f"{BASE}/odoo/action-isp_sales_desk.isp_sales_ticket_map_action"
        )
        await page.wait_for_selector(".o_isp_map_cluster", timeout=120000)
        await page.wait_for_timeout(2500)
        await page.screenshot(path=f"{OUT}/map_clusters.png")
        # zoomed in: points, a card
        for _i in range(4):
            await page.click(".leaflet-control-zoom-in")
            await page.wait_for_timeout(1200)
        await page.wait_for_selector(".o_isp_map_point", timeout=60000)
        await page.wait_for_timeout(1500)
        await page.locator(".o_isp_map_point_demand").first.click(force=True)
        await page.wait_for_timeout(800)
        await page.screenshot(path=f"{OUT}/map_points.png")
        # what-if
        await page.click(".o_isp_map_what_if_start")
        await page.mouse.click(700, 480)
        await page.wait_for_selector(".o_isp_map_what_if_result", timeout=60000)
        await page.wait_for_timeout(1000)
        await page.screenshot(path=f"{OUT}/map_what_if.png")
        await browser.close()


asyncio.run(main())
