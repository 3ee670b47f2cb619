// The iteration scrubbers: a figure whose frames are one SVG, a group
// per frame, drawn by the book's examples. Without this script the
// figure's animation or still shows instead, and the scrubber stays
// hidden.
//
// Markup, in a chapter:
//   <figure>
//   <img src="figures/x.gif" alt="…">            the fallback
//   <div class="scrubber" id="x-scrubber" data-step-name="iteration" hidden>
//   <script type="image/svg+xml" class="scrubber-source">
//   <svg class="frames" …>                       written by the example:
//   <g class="frame" data-frame="0" data-t="0" data-loss="377.7">…</g> …
//   </svg>
//   </script>
//   </div>
//   <figcaption>…</figcaption>
//   </figure>
//
// The script shows the scrubber, hides the fallback, and adds the
// controls: previous, play/pause, next, a slider over the frames, and a
// status line that says the step and the loss the example wrote. It
// starts at the first frame (the last with data-start="last"). The
// scrubber's own attributes data-frame, data-t and data-loss follow the
// frame shown; data-alt, if given, describes the frames for screen
// readers instead of the fallback's alt text.
(function () {
    'use strict';

    // Milliseconds per frame while playing.
    var PERIOD = 150;
    // The play button's two faces; U+FE0E asks for the text glyph, not
    // an emoji.
    var PLAY = '\u25B6\uFE0E play';
    var PAUSE = '\u275A\u275A pause';

    function setUp(root) {
        if (root.dataset.ready === 'true') {
            return;
        }
        // The frames come as the text of a script element, so that the
        // book's search index leaves their labels out.
        var source = root.querySelector('script.scrubber-source');
        if (source) {
            root.insertAdjacentHTML('afterbegin', source.textContent.trim());
            source.remove();
        }
        var svg = root.querySelector('svg.frames');
        if (!svg) {
            return;
        }
        var frames = Array.prototype.slice.call(svg.querySelectorAll('g.frame'));
        if (frames.length === 0) {
            return;
        }
        var last = frames.length - 1;
        var stepName = root.dataset.stepName || 'iteration';
        var lossName = root.dataset.lossName || 'loss';
        var lastT = frames[last].dataset.t;
        var id = root.id || svg.id;

        var figure = root.parentElement;
        var fallback = figure && figure.querySelector(':scope > img');
        // The figure's description: the scrubber's own (data-alt), or the
        // fallback's.
        var alt = root.dataset.alt || (fallback && fallback.getAttribute('alt'));
        if (alt) {
            svg.setAttribute('role', 'img');
            svg.setAttribute('aria-label', alt);
        }

        function make(tag, cls, attrs, text) {
            var el = document.createElement(tag);
            el.className = cls;
            Object.keys(attrs).forEach(function (k) {
                el.setAttribute(k, attrs[k]);
            });
            if (text) {
                el.textContent = text;
            }
            return el;
        }
        var controls = make('div', 'scrubber-controls', {});
        var prev = make('button', 'scrubber-prev', {
            type: 'button',
            'aria-label': 'previous ' + stepName,
            title: 'previous ' + stepName + ' (←)',
        }, '‹');
        var play = make('button', 'scrubber-play', {
            type: 'button',
            'aria-label': 'play',
            'aria-pressed': 'false',
            title: 'play / pause',
        }, PLAY);
        var next = make('button', 'scrubber-next', {
            type: 'button',
            'aria-label': 'next ' + stepName,
            title: 'next ' + stepName + ' (→)',
        }, '›');
        var slider = make('input', 'scrubber-slider', {
            type: 'range',
            min: '0',
            max: String(last),
            step: '1',
            value: '0',
            'aria-label': stepName,
            'aria-controls': svg.id,
        });
        var status = make('output', 'scrubber-status', { 'aria-live': 'polite' });
        if (id) {
            slider.id = id + '-slider';
            status.id = id + '-status';
        }
        controls.append(prev, play, next, slider, status);
        root.insertBefore(controls, svg.nextSibling);

        var current = -1;
        var timer = null;

        function show(i) {
            i = Math.max(0, Math.min(last, i));
            if (i !== current) {
                frames.forEach(function (g, j) {
                    if (j === i) {
                        g.removeAttribute('display');
                    } else {
                        g.setAttribute('display', 'none');
                    }
                });
                current = i;
            }
            var frame = frames[i];
            var text = stepName + ' ' + frame.dataset.t + ' of ' + lastT + ': ' +
                lossName + ' ' + frame.dataset.loss;
            slider.value = String(i);
            slider.setAttribute('aria-valuetext', text);
            status.textContent = text;
            root.dataset.frame = String(i);
            root.dataset.t = frame.dataset.t;
            root.dataset.loss = frame.dataset.loss;
            prev.disabled = i === 0;
            next.disabled = i === last;
        }

        function pause() {
            if (timer !== null) {
                clearInterval(timer);
                timer = null;
            }
            play.textContent = PLAY;
            play.setAttribute('aria-label', 'play');
            play.setAttribute('aria-pressed', 'false');
            root.dataset.playing = 'false';
            status.setAttribute('aria-live', 'polite');
        }

        function start() {
            if (current === last) {
                show(0);
            }
            play.textContent = PAUSE;
            play.setAttribute('aria-label', 'pause');
            play.setAttribute('aria-pressed', 'true');
            root.dataset.playing = 'true';
            // Quiet while playing: a screen reader would read every frame.
            status.setAttribute('aria-live', 'off');
            timer = setInterval(function () {
                if (current >= last) {
                    pause();
                } else {
                    show(current + 1);
                }
            }, PERIOD);
        }

        prev.addEventListener('click', function () {
            pause();
            show(current - 1);
        });
        next.addEventListener('click', function () {
            pause();
            show(current + 1);
        });
        play.addEventListener('click', function () {
            if (timer === null) {
                start();
            } else {
                pause();
            }
        });
        slider.addEventListener('input', function () {
            pause();
            show(parseInt(slider.value, 10));
        });

        // Arrow keys step, Home and End jump, Page Up and Down take ten
        // steps, anywhere in the scrubber. They go no further: the book
        // turns the page on the left and right arrows.
        var keys = {
            ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1,
            PageDown: -10, PageUp: 10, Home: -Infinity, End: Infinity,
        };
        root.addEventListener('keydown', function (e) {
            if (e.altKey || e.ctrlKey || e.metaKey || !(e.key in keys)) {
                return;
            }
            e.preventDefault();
            e.stopPropagation();
            pause();
            var step = keys[e.key];
            show(isFinite(step) ? current + step : (step < 0 ? 0 : last));
        });
        // A click on the figure gives it the keyboard.
        svg.setAttribute('tabindex', '0');
        svg.setAttribute('focusable', 'true');

        show(root.dataset.start === 'last' ? last : 0);
        root.hidden = false;
        if (fallback) {
            fallback.hidden = true;
        }
        root.dataset.frames = String(frames.length);
        root.dataset.ready = 'true';
    }

    function setUpAll() {
        document.querySelectorAll('.scrubber').forEach(setUp);
    }
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', setUpAll);
    } else {
        setUpAll();
    }
})();
